import { useApp } from "./app-context.ts";
import type { TextKey } from "./i18n.ts";
import { type InviteJob, jobActive } from "./invite-jobs.ts";

const STATUS_TEXT: Record<InviteJob["status"], TextKey> = {
  receiving: "jobReceiving",
  queued: "jobQueued",
  running: "jobRunning",
  done: "jobDone",
  cancelled: "jobCancelled",
  failed: "jobFailed",
};

/** Seconds as m:ss or h:mm:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

function percentDone(job: InviteJob): number {
  if (!jobActive(job)) return job.status === "done" ? 100 : pct(job);
  return pct(job);
}
const pct = (job: InviteJob) =>
  job.totals.read === 0 ? 0 : Math.floor((job.totals.processed / job.totals.read) * 100);

/**
 * A job's progress: its state, a bar (role progressbar, with its values), rows per second, the
 * time left and the totals. Screen readers hear the state and every tenth percent through a polite
 * live region — not every second's redraw, which would talk over everything else.
 */
export function JobProgress({ job }: { job: InviteJob }) {
  const { t, lang } = useApp();
  const n = (v: number) => v.toLocaleString(lang === "de" ? "de-DE" : "en-GB");
  const percent = percentDone(job);
  const status = t(STATUS_TEXT[job.status]);
  const of = t("percentOf", { percent, done: n(job.totals.processed), total: n(job.totals.read) });
  const active = jobActive(job);
  const spoken = active
    ? `${status}: ${Math.floor(percent / 10) * 10} %`
    : `${status}. ${of}${job.error ? ` (${job.error})` : ""}`;
  const totals: Array<[TextKey, number]> = job.dry_run
    ? [
        ["totRead", job.totals.read],
        ["totValid", job.totals.valid],
        ["totSkipped", job.totals.skipped],
        ["totFailed", job.totals.failed],
      ]
    : [
        ["totRead", job.totals.read],
        ["totCreated", job.totals.created],
        ["totInvited", job.totals.invited],
        ...(job.options.send_invite ? [["totMailed", job.totals.mailed] as [TextKey, number]] : []),
        ["totSkipped", job.totals.skipped],
        ["totFailed", job.totals.failed],
      ];
  return (
    <div className="job-progress">
      <p className="job-state">
        <span className={`badge job-${job.status}`}>{status}</span>
        {job.error && <code>{job.error}</code>}
        {job.dry_run && <span className="badge">{t("dryRunTag")}</span>}
      </p>
      <div
        className="bar"
        role="progressbar"
        aria-label={t("progress")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={of}
      >
        <div className={`bar-fill job-${job.status}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="job-pace">
        <span>{of}</span>
        {job.rows_per_second !== null && <span>{t("perSecond", { n: n(job.rows_per_second) })}</span>}
        {active && job.eta_seconds !== null && <span>{t("timeLeft", { t: clock(job.eta_seconds) })}</span>}
      </p>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {spoken}
      </p>
      <dl className="totals">
        {totals.map(([key, value]) => (
          <div key={key} className={key === "totFailed" && value > 0 ? "bad" : undefined}>
            <dt>{t(key)}</dt>
            <dd>{n(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
