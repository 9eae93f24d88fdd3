import { useEffect, useRef, useState } from "react";
import { useApp } from "./app-context.ts";
import { FailedRows } from "./failed-rows.tsx";
import { formatTime } from "./i18n.ts";
import { cancelJob, jobActive } from "./invite-jobs.ts";
import { JobProgress } from "./job-progress.tsx";
import { Link } from "./link.tsx";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";
import { useJob } from "./use-job.ts";

/** One invite job, live: progress, rows/s, time left, totals, cancel, and its failed rows. */
export function InviteJobPage({ id }: { id: string }) {
  const { t, lang, canWrite } = useApp();
  const { job, error, refresh } = useJob(id);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The page opens on its progress: keyboard and screen reader users start there.
  useEffect(() => heading.current?.focus(), []);

  async function cancel() {
    setOutcome(null);
    try {
      await cancelJob(id);
      refresh();
    } catch (e) {
      setOutcome(failure(t, e));
    }
  }

  return (
    <main id="main">
      <h1>{t("inviteJob")}</h1>
      <p className="note job-meta">
        <code>{id}</code>
        {job && <span>{t("jobCreated", { time: formatTime(lang, job.created_at) })}</span>}
        {job?.options.application_name && <span>{job.options.application_name}</span>}
        {job && !job.options.send_invite && <span>{t("noMails")}</span>}
      </p>
      <section className="card" aria-labelledby="job-progress">
        <h2 id="job-progress" ref={heading} tabIndex={-1}>
          {t("progress")}
        </h2>
        {error !== null && <OutcomeLine outcome={failure(t, error)} />}
        {job === null ? (
          <p>{t("loading")}</p>
        ) : (
          <>
            <JobProgress job={job} />
            {job.options.send_invite && !job.dry_run && job.totals.mailed < job.totals.invited && (
              <p className="note">{t("mailedNote")}</p>
            )}
            <div className="buttons">
              {jobActive(job) ? (
                <button type="button" className="danger" onClick={cancel} disabled={!canWrite}>
                  {t("cancelJob")}
                </button>
              ) : (
                <button type="button" onClick={refresh}>
                  {t("refresh")}
                </button>
              )}
            </div>
          </>
        )}
        <OutcomeLine outcome={outcome} />
      </section>
      {job && <FailedRows jobId={id} failed={job.totals.failed} />}
      <p>
        <Link to="/bulk-invite">{t("anotherFile")}</Link>
      </p>
    </main>
  );
}
