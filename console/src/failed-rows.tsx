import { useEffect, useState } from "react";
import { useApp } from "./app-context.ts";
import { failedRowsCsv } from "./failed-rows-csv.ts";
import { allFailedRows, failedRows, type JobRow } from "./invite-jobs.ts";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

/** Failed rows shown on the page; the download has every one. */
const SHOWN = 100;

/**
 * A job's failed rows — row number, address, reason, the API's message and the policies'
 * notices — and a download of all of them as CSV. Read again whenever the failed count changes.
 */
export function FailedRows({ jobId, failed }: { jobId: string; failed: number }) {
  const { t } = useApp();
  const [rows, setRows] = useState<JobRow[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let gone = false;
    if (failed === 0) {
      setRows([]);
      return;
    }
    failedRows(jobId, SHOWN)
      .then((page) => !gone && setRows(page.data))
      .catch((e) => !gone && setOutcome(failure(t, e)));
    return () => {
      gone = true;
    };
  }, [jobId, failed, t]);

  async function download() {
    setBusy(true);
    setOutcome(null);
    try {
      const csv = failedRowsCsv(await allFailedRows(jobId));
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `invite-job-${jobId}-failed.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      // The browser has taken the file once the click is handled.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setOutcome(failure(t, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="failed-rows">
      <h2 id="failed-rows">
        {t("failedRows")} <span className="count">{failed}</span>
      </h2>
      <OutcomeLine outcome={outcome} />
      {rows === null ? (
        <p>{t("loading")}</p>
      ) : failed === 0 ? (
        <p>{t("noneFailed")}</p>
      ) : (
        <>
          <div className="buttons">
            <button type="button" onClick={download} disabled={busy}>
              {busy ? t("preparing") : t("downloadCsv")}
            </button>
          </div>
          {failed > rows.length && (
            <p className="note">{t("firstOf", { shown: rows.length, total: failed })}</p>
          )}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("rowNo")}</th>
                  <th scope="col">{t("email")}</th>
                  <th scope="col">{t("reason")}</th>
                  <th scope="col">{t("notice")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.row}>
                    <td data-label={t("rowNo")}>{r.row}</td>
                    <td data-label={t("email")} className="address">
                      {r.email || "—"}
                    </td>
                    <td data-label={t("reason")}>
                      <code>{r.reason}</code> {r.message}
                    </td>
                    <td data-label={t("notice")}>{r.notices.length > 0 ? r.notices.join(" · ") : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
