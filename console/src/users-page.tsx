import { type FormEvent, useEffect, useState } from "react";
import { type Page, tenantApi, type User } from "./api.ts";
import { useApp } from "./app-context.ts";
import { formatTime, type TextKey } from "./i18n.ts";
import { Link } from "./link.tsx";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

const STATES = ["invited", "initial", "unverified", "active", "locked", "disabled"] as const;
const WAITING: Record<NonNullable<User["waiting_for"]>, TextKey> = {
  invite: "waitInvite",
  initialization: "waitInit",
  email_verification: "waitEmail",
};

/** What a user is waiting for and since when, in words. */
export function waitingFor(u: User, t: (k: TextKey) => string, lang: "en" | "de"): string {
  if (!u.waiting_for) return t("waitNothing");
  return `${t(WAITING[u.waiting_for])} ${formatTime(lang, u.waiting_since)}`;
}

/** Users of the organization: search, filter by state, newest first, a page at a time (keyset). */
export function UsersPage() {
  const { t, lang } = useApp();
  const [email, setEmail] = useState("");
  const [status, setStatus] = useState("");
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<Page<User> | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const cursor = cursors.at(-1);

  useEffect(() => {
    const q = new URLSearchParams({ limit: "25" });
    if (email) q.set("q", email);
    if (status) q.set("status", status);
    if (cursor) q.set("cursor", cursor);
    setPage(null);
    tenantApi<Page<User>>(`/users?${q}`)
      .then((p) => {
        setPage(p);
        setOutcome(null);
      })
      .catch((e) => setOutcome(failure(t, e)));
  }, [email, status, cursor, t]);

  function search(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setEmail(String(form.get("email") ?? "").trim());
    setStatus(String(form.get("status") ?? ""));
    setCursors([]);
  }

  return (
    <main id="main">
      <h1>{t("users")}</h1>
      <search>
        <form className="filters" onSubmit={search}>
          <label>
            {t("search")}
            <input name="email" type="search" defaultValue={email} maxLength={100} />
          </label>
          <label>
            {t("state")}
            <select name="status" defaultValue={status}>
              <option value="">{t("all")}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t(s)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t("searchButton")}</button>
        </form>
      </search>
      <OutcomeLine outcome={outcome} />
      {page === null ? (
        <p aria-live="polite">{t("loading")}</p>
      ) : page.data.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("email")}</th>
                <th scope="col">{t("state")}</th>
                <th scope="col">{t("waitingFor")}</th>
                <th scope="col">{t("created")}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((u) => (
                <tr key={u.id}>
                  <td data-label={t("name")}>
                    <Link to={`/users/${u.id}`}>{u.name || u.email}</Link>
                  </td>
                  <td data-label={t("email")}>{u.email}</td>
                  <td data-label={t("state")}>
                    <span className={`badge ${u.status}`}>{t(u.status)}</span>
                  </td>
                  <td data-label={t("waitingFor")}>{waitingFor(u, t, lang)}</td>
                  <td data-label={t("created")}>{formatTime(lang, u.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="pages">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors([])}>
            {t("first")}
          </button>
        )}
        {page?.has_more && page.next_cursor && (
          <button type="button" onClick={() => setCursors([...cursors, page.next_cursor as string])}>
            {t("next")}
          </button>
        )}
      </nav>
    </main>
  );
}
