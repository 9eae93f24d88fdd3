import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type Message, type Page, tenantApi, type User, type UserEvent, zitadel } from "./api.ts";
import { useApp } from "./app-context.ts";
import { formatTime, type TextKey } from "./i18n.ts";
import { Link } from "./link.tsx";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";
import { waitingFor } from "./users-page.tsx";

const USER_SERVICE = "zitadel.user.v2.UserService";
const MANAGEMENT = "zitadel.management.v1.ManagementService";

const KINDS = ["invite", "init", "email"] as const;
type Kind = (typeof KINDS)[number];
const KIND_TEXT: Record<Kind, TextKey> = {
  invite: "resendInvite",
  init: "resendInit",
  email: "resendEmail",
};

/**
 * Sends a message again through the public APIs, to a corrected address when one is given: the
 * invite (tenant API), the initialization (ZITADEL management v1, which takes the address), or the
 * email verification (ZITADEL v2: SetEmail sends a code to a new address, ResendEmailCode to the
 * current one).
 */
function sendAgain(kind: Kind, userId: string, email: string): Promise<unknown> {
  if (kind === "invite")
    return tenantApi(`/users/${userId}/resend-invite`, { method: "POST", json: email ? { email } : {} });
  if (kind === "init")
    return zitadel(MANAGEMENT, "ResendHumanInitialization", email ? { userId, email } : { userId });
  if (email) return zitadel(USER_SERVICE, "SetEmail", { userId, email, sendCode: {} });
  return zitadel(USER_SERVICE, "ResendEmailCode", { userId });
}
/** How often an open user page asks for its messages (one small indexed query). */
const POLL_MS = 3000;

/** One user: profile, state, the timeline of their messages (live), and the actions on them. */
export function UserPage({ id }: { id: string }) {
  const { t, lang, canWrite, navigate } = useApp();
  const [user, setUser] = useState<User | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [events, setEvents] = useState<UserEvent[]>([]);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [confirming, setConfirming] = useState(false);
  const [kind, setKind] = useState<Kind>("invite");

  const load = useCallback(async () => {
    const [u, m, e] = await Promise.all([
      tenantApi<User>(`/users/${id}`),
      tenantApi<Page<Message>>(`/users/${id}/messages?limit=50`),
      tenantApi<Page<UserEvent>>(`/users/${id}/events?limit=100`),
    ]);
    setUser(u);
    setMessages(m.data);
    setEvents(e.data);
  }, [id]);

  useEffect(() => {
    load().catch((e) => setOutcome(failure(t, e)));
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load().catch(() => {});
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [load, t]);

  async function act(run: () => Promise<unknown>) {
    setOutcome(null);
    try {
      await run();
      setOutcome({ ok: true, text: t("done") });
      await load();
    } catch (e) {
      setOutcome(failure(t, e));
    }
  }

  function resend(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("email") ?? "").trim();
    act(() => sendAgain(kind, id, email));
  }

  function remove(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    act(async () => {
      await tenantApi(`/users/${id}`, { method: "DELETE" });
      navigate("/users");
    });
  }

  if (!user)
    return (
      <main id="main">
        <Link to="/users">← {t("back")}</Link>
        <OutcomeLine outcome={outcome} />
        {!outcome && <p>{t("loading")}</p>}
      </main>
    );

  return (
    <main id="main">
      <Link to="/users">← {t("back")}</Link>
      <h1>{user.name || user.email}</h1>
      <section className="card" aria-labelledby="profile">
        <h2 id="profile">{t("profile")}</h2>
        <dl>
          <dt>{t("email")}</dt>
          <dd>
            {user.email} ({user.email_verified ? t("verified") : t("notVerified")})
          </dd>
          <dt>{t("state")}</dt>
          <dd>
            <span className={`badge ${user.status}`}>{t(user.status)}</span>
          </dd>
          <dt>{t("waitingFor")}</dt>
          <dd>{waitingFor(user, t, lang)}</dd>
          <dt>{t("language")}</dt>
          <dd>{user.locale || "—"}</dd>
          <dt>{t("created")}</dt>
          <dd>{formatTime(lang, user.created_at)}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="actions">
        <h2 id="actions">{t("actions")}</h2>
        {!canWrite && <p className="note">{t("viewer")}</p>}
        <form onSubmit={resend} className="inline">
          <label>
            {t("message")}
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(KIND_TEXT[k])}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("correctedEmail")}
            <input name="email" type="email" placeholder={user.email} />
          </label>
          <button type="submit">{t(KIND_TEXT[kind])}</button>
        </form>
        <div className="buttons">
          {user.status === "locked" ? (
            <button
              type="button"
              onClick={() => act(() => zitadel(USER_SERVICE, "UnlockUser", { userId: id }))}
            >
              {t("unlock")}
            </button>
          ) : (
            <button
              type="button"
              onClick={() => act(() => zitadel(USER_SERVICE, "LockUser", { userId: id }))}
            >
              {t("lock")}
            </button>
          )}
          {user.active ? (
            <button
              type="button"
              onClick={() =>
                act(() => tenantApi(`/users/${id}`, { method: "PATCH", json: { active: false } }))
              }
            >
              {t("deactivate")}
            </button>
          ) : (
            <button
              type="button"
              onClick={() =>
                act(() => tenantApi(`/users/${id}`, { method: "PATCH", json: { active: true } }))
              }
            >
              {t("reactivate")}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t("delete")}
          </button>
        </div>
        {confirming && (
          <form onSubmit={remove} className="confirm">
            <label>
              {t("confirmDelete")}
              <input name="confirm" required pattern={escapePattern(user.email)} />
            </label>
            <button type="submit" className="danger">
              {t("confirm")}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t("cancel")}
            </button>
          </form>
        )}
        <OutcomeLine outcome={outcome} />
      </section>

      <section className="card" aria-labelledby="timeline">
        <h2 id="timeline">
          {t("timeline")} <small className="note">({t("live")})</small>
        </h2>
        {messages.length + events.length === 0 ? (
          <p>{t("none")}</p>
        ) : (
          <ol className="timeline" aria-live="polite">
            {timeline(messages, events).map((item) =>
              item.kind === "message" ? (
                <li key={item.m.id} className={`status-${item.m.status}`}>
                  <div>
                    <strong>{item.m.type}</strong> → {item.m.recipient}{" "}
                    <span className={`badge ${item.m.status}`}>
                      {t(item.m.status as TextKey) || item.m.status}
                    </span>
                  </div>
                  <div className="note">
                    {formatTime(lang, item.m.created_at)} · {t("attempts", { n: item.m.attempts })}
                    {item.m.sent_at ? ` · ${t("sentAt")} ${formatTime(lang, item.m.sent_at)}` : ""}
                  </div>
                  {item.m.last_error && (
                    <div className="provider">
                      {t("providerAnswer")}: <code>{item.m.last_error}</code>
                    </div>
                  )}
                </li>
              ) : (
                <li key={`e${item.e.sequence}`} className="event">
                  <div>{item.e.type.replace(/^user\.(human\.)?/, "")}</div>
                  <div className="note">{formatTime(lang, item.e.created_at)}</div>
                </li>
              ),
            )}
          </ol>
        )}
      </section>
    </main>
  );
}

type TimelineItem = { kind: "message"; at: string; m: Message } | { kind: "event"; at: string; e: UserEvent };

/** Messages and events in one list, newest first (a message before the event of the same instant). */
function timeline(messages: Message[], events: UserEvent[]): TimelineItem[] {
  const items: TimelineItem[] = [
    ...messages.map((m) => ({ kind: "message" as const, at: m.created_at, m })),
    ...events.map((e) => ({ kind: "event" as const, at: e.created_at, e })),
  ];
  return items.sort((a, b) => b.at.localeCompare(a.at) || (a.kind === "message" ? -1 : 1));
}

function escapePattern(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
