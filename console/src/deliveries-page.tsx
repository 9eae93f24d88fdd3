import { useCallback, useEffect, useState } from "react";
import { type Deliveries, tenantApi } from "./api.ts";
import { useApp } from "./app-context.ts";
import { formatTime, type TextKey } from "./i18n.ts";
import { Link } from "./link.tsx";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

const STATUSES = ["queued", "sending", "sent", "failed", "superseded", "cancelled"] as const;

/** The organization's messages: counts by status, the failed ones with their reason, retry. */
export function DeliveriesPage() {
  const { t, lang } = useApp();
  const [status, setStatus] = useState("failed");
  const [list, setList] = useState<Deliveries | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const load = useCallback(
    () =>
      tenantApi<Deliveries>(`/deliveries?limit=50${status ? `&status=${status}` : ""}`)
        .then(setList)
        .catch((e) => setOutcome(failure(t, e))),
    [status, t],
  );
  useEffect(() => {
    load();
  }, [load]);
  async function retry(id: string) {
    setOutcome(null);
    try {
      await tenantApi(`/deliveries/${id}/retry`, { method: "POST" });
      setOutcome({ ok: true, text: t("done") });
      await load();
    } catch (e) {
      setOutcome(failure(t, e));
    }
  }
  return (
    <main id="main">
      <h1>{t("deliveries")}</h1>
      <ul className="counts" aria-label={t("status")}>
        {STATUSES.map((s) => (
          <li key={s}>
            <span className={`badge ${s}`}>{t(s as TextKey)}</span> <strong>{list?.counts[s] ?? 0}</strong>
          </li>
        ))}
      </ul>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("status")}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t("all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(s as TextKey)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <OutcomeLine outcome={outcome} />
      {list === null ? (
        <p>{t("loading")}</p>
      ) : list.data.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("message")}</th>
                <th scope="col">{t("email")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("providerAnswer")}</th>
                <th scope="col">{t("created")}</th>
                <th scope="col">
                  <span className="sr-only">{t("retry")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.id}>
                  <td data-label={t("message")}>
                    <Link to={`/users/${d.user_id}`}>{d.type}</Link>
                  </td>
                  <td data-label={t("email")}>{d.recipient}</td>
                  <td data-label={t("status")}>
                    <span className={`badge ${d.status}`}>{t(d.status as TextKey)}</span> ·{" "}
                    {t("attempts", { n: d.attempts })}
                  </td>
                  <td data-label={t("providerAnswer")}>{d.last_error ? <code>{d.last_error}</code> : "—"}</td>
                  <td data-label={t("created")}>{formatTime(lang, d.created_at)}</td>
                  <td>
                    {d.status === "failed" && (
                      <button type="button" onClick={() => retry(d.id)}>
                        {t("retry")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
