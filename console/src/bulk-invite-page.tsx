import { type DragEvent, type FormEvent, useEffect, useRef, useState } from "react";
import { useApp } from "./app-context.ts";
import { FailedRows } from "./failed-rows.tsx";
import { fileMediaType, type JobOptions, jobActive, type OnExisting, uploadJob } from "./invite-jobs.ts";
import { JobProgress } from "./job-progress.tsx";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";
import { useJob } from "./use-job.ts";

const DEFAULTS: JobOptions = { sendInvite: true, onExisting: "skip", applicationName: "", urlTemplate: "" };

function size(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/**
 * Invites everyone in a file. The file is checked first by a dry run (the API's `dry_run`: every
 * rule applied and rolled back), whose report — how many rows are fine, which are not and why —
 * comes before the Start button; Start uploads the same file with the same options for real and
 * opens the job's live page. Changing the file or an option asks for a new check.
 */
export function BulkInvitePage() {
  const { t, canWrite, navigate } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState<JobOptions>(DEFAULTS);
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const input = useRef<HTMLInputElement>(null);

  function choose(f: File | null) {
    setFile(f);
    setDryRunId(null);
    setOutcome(null);
  }
  function option<K extends keyof JobOptions>(key: K, value: JobOptions[K]) {
    setOptions((o) => ({ ...o, [key]: value }));
    setDryRunId(null);
  }
  function drop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    const files = e.dataTransfer.files;
    if (!files[0]) return;
    // The input shows the dropped file too, so both ways end in the same form.
    if (input.current) input.current.files = files;
    choose(files[0]);
  }
  async function upload(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    try {
      const job = await uploadJob(file, options, dryRun);
      if (dryRun) setDryRunId(job.id);
      else navigate(`/bulk-invite/${job.id}`);
    } catch (e) {
      setOutcome(failure(t, e));
    } finally {
      setBusy(false);
    }
  }
  function check(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    upload(true);
  }

  return (
    <main id="main">
      <h1>{t("bulkInvite")}</h1>
      <p className="note">{t("bulkIntro")}</p>
      {!canWrite && <p className="note">{t("viewer")}</p>}
      <form onSubmit={check} className="card">
        {/* Dropping is a pointer's shortcut; the file input inside is the keyboard's way. */}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: drag and drop has no keyboard equivalent to give */}
        <div
          className={dragging ? "drop dragging" : "drop"}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <label>
            {t("bulkFile")}
            <input
              ref={input}
              name="file"
              type="file"
              accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
              required
              aria-describedby="drop-hint"
              onChange={(e) => choose(e.target.files?.[0] ?? null)}
            />
          </label>
          <p id="drop-hint" className="note">
            {file
              ? t("fileSummary", {
                  name: file.name,
                  size: size(file.size),
                  format: fileMediaType(file.name) === "text/csv" ? "CSV" : "JSON lines",
                })
              : t("dropHint")}
          </p>
        </div>
        <div className="split">
          <label>
            {t("onExisting")}
            <select
              value={options.onExisting}
              onChange={(e) => option("onExisting", e.target.value as OnExisting)}
            >
              <option value="skip">{t("onSkip")}</option>
              <option value="resend">{t("onResend")}</option>
              <option value="fail">{t("onFail")}</option>
            </select>
          </label>
          <label>
            {t("appName")}
            <input
              value={options.applicationName}
              maxLength={200}
              autoComplete="off"
              onChange={(e) => option("applicationName", e.target.value)}
            />
          </label>
        </div>
        <label>
          {t("linkTemplate")}
          <input
            value={options.urlTemplate}
            maxLength={200}
            autoComplete="off"
            onChange={(e) => option("urlTemplate", e.target.value)}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.sendInvite}
            onChange={(e) => option("sendInvite", e.target.checked)}
          />
          {t("sendInvites")}
        </label>
        <button type="submit" disabled={busy || !canWrite}>
          {busy && !dryRunId ? t("uploading") : t("dryRun")}
        </button>
        <OutcomeLine outcome={outcome} />
      </form>
      {dryRunId && <DryRunReport key={dryRunId} id={dryRunId} busy={busy} onStart={() => upload(false)} />}
    </main>
  );
}

/** The dry run, live while it checks, then its report and the Start button. */
function DryRunReport({ id, busy, onStart }: { id: string; busy: boolean; onStart: () => void }) {
  const { t, canWrite } = useApp();
  const { job, error } = useJob(id);
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = job !== null;
  const ended = loaded && !jobActive(job);
  // Focus goes to the report when the check starts and again when its result is in.
  useEffect(() => {
    if (!loaded || ended) heading.current?.focus();
  }, [loaded, ended]);
  return (
    <>
      <section className="card" aria-labelledby="dry-run">
        <h2 id="dry-run" ref={heading} tabIndex={-1}>
          {t("dryRunReport")}
        </h2>
        {error !== null && <OutcomeLine outcome={failure(t, error)} />}
        {job === null ? (
          <p>{t("loading")}</p>
        ) : (
          <>
            <JobProgress job={job} />
            {ended && job.status === "done" && (
              <>
                <ul className="verdict">
                  <li className="ok">{t("rowsFine", { n: job.totals.valid })}</li>
                  {job.totals.skipped > 0 && <li>{t("rowsSkipped", { n: job.totals.skipped })}</li>}
                  <li className={job.totals.failed > 0 ? "error" : undefined}>
                    {t("rowsNotFine", { n: job.totals.failed })}
                  </li>
                </ul>
                {job.totals.valid === 0 ? (
                  <p className="error">{t("nothingToApply")}</p>
                ) : (
                  <div className="buttons">
                    <button
                      type="button"
                      onClick={onStart}
                      disabled={busy || !canWrite}
                      aria-describedby="start-hint"
                    >
                      {busy ? t("uploading") : t("startJob")}
                    </button>
                    <span id="start-hint" className="note">
                      {t("startHint")}
                    </span>
                  </div>
                )}
              </>
            )}
          </>
        )}
      </section>
      {job && ended && <FailedRows jobId={id} failed={job.totals.failed} />}
    </>
  );
}
