import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import type { Config } from "../config/load.ts";
import type { Args } from "./args.ts";

export const INVITE_HELP = `usher invite — invite everyone in a file through a running Usher, and watch the job

  usher invite --file people.csv [--org ID] [--dry-run] [--on-existing skip|resend|fail]
               [--no-invite] [--application-name NAME] [--url-template URL]
  usher invite --watch JOB [--org ID]

The file: CSV with a header row (email, and any of name, given_name, family_name, locale,
username), or JSON lines (a .jsonl or .ndjson file: one object with those fields per line).
It is uploaded as it is read; the job then runs inside Usher. On a terminal a progress bar
shows rows per second and the time left; otherwise one line every few seconds. Ctrl-C stops
watching, not the job: it goes on, and \`usher invite --watch JOB\` shows it again.
At the end the failed rows are listed with their reasons (the first 20; the rest through
GET /v1/invite-jobs/JOB/rows?status=failed).

Where and as whom:
  --url URL       the Usher to call (USHER_URL; default http://127.0.0.1:<USHER_PORT>)
  --token TOKEN   an API key or personal access token (USHER_TOKEN; default: the admin token
                  file of this machine's Usher, <data dir>/admin.pat, when readable)
  --org ID        the tenant (USHER_ORG; default: the token's own organization)
Exit code: 0 when the job is done with no failed row, 1 when rows failed or the job stopped.`;

interface Target {
  url: string;
  token: string;
  org: string;
}

interface JobView {
  id: string;
  status: string;
  dry_run: boolean;
  totals: Record<string, number>;
  rows_per_second: number | null;
  eta_seconds: number | null;
  error: string | null;
}

/** Runs `usher invite …`; returns the exit code. */
export async function inviteCommand(
  args: Args,
  config: Config,
  out: (s: string) => void,
  tty: { isTTY: boolean; write: (s: string) => void } = {
    isTTY: process.stdout.isTTY === true,
    write: (s) => process.stdout.write(s),
  },
): Promise<number> {
  const file = args.flags.get("file");
  const watch = args.flags.get("watch");
  if (!file === !watch) throw new Error("give either --file FILE or --watch JOB (see usher invite --help)");
  const target = await resolveTarget(args, config);
  let id = watch as string;
  if (file) {
    if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`--file: no file ${file}`);
    const onExisting = args.flags.get("on-existing") ?? "skip";
    if (!["skip", "resend", "fail"].includes(onExisting))
      throw new Error("--on-existing must be skip, resend or fail");
    const query = new URLSearchParams({ on_existing: onExisting });
    if (args.flags.has("dry-run")) query.set("dry_run", "true");
    if (args.flags.has("no-invite")) query.set("send_invite", "false");
    const app = args.flags.get("application-name");
    if (app) query.set("application_name", app);
    const template = args.flags.get("url-template");
    if (template) query.set("url_template", template);
    const jsonl = /\.(jsonl|ndjson)$/i.test(file);
    out(`uploading ${file} (${(statSync(file).size / 1024).toFixed(0)} KiB)…`);
    const res = await call(target, "POST", `/v1/invite-jobs?${query}`, {
      body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      contentType: jsonl ? "application/x-ndjson" : "text/csv",
      length: statSync(file).size,
    });
    id = (res as JobView).id;
    out(`job ${id}: ${(res as JobView).totals.read} rows${(res as JobView).dry_run ? " (dry run)" : ""}`);
  }
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once("SIGINT", onSigint);
  try {
    let last = 0;
    for (;;) {
      const job = (await call(target, "GET", `/v1/invite-jobs/${id}`)) as JobView;
      const active = ["receiving", "queued", "running"].includes(job.status);
      if (tty.isTTY) tty.write(`\r${bar(job)}\x1b[K`);
      else if (!active || Date.now() - last >= 5000) {
        out(line(job));
        last = Date.now();
      }
      if (!active) {
        if (tty.isTTY) tty.write("\n");
        return await report(target, job, out);
      }
      if (interrupted) {
        if (tty.isTTY) tty.write("\n");
        out(`stopped watching; job ${id} goes on. Watch it again with: usher invite --watch ${id}`);
        return 130;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    process.off("SIGINT", onSigint);
  }
}

async function resolveTarget(args: Args, config: Config): Promise<Target> {
  const url = (args.flags.get("url") ?? process.env.USHER_URL ?? `http://127.0.0.1:${config.port}`).replace(
    /\/$/,
    "",
  );
  let token = args.flags.get("token") ?? process.env.USHER_TOKEN;
  if (!token && existsSync(config.firstInstancePatPath))
    token = readFileSync(config.firstInstancePatPath, "utf8").trim();
  if (!token) throw new Error("no credential: give --token or USHER_TOKEN");
  let org = args.flags.get("org") ?? process.env.USHER_ORG;
  if (!org) {
    const res = await fetch(`${url}/management/v1/orgs/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json().catch(() => ({}))) as { org?: { id?: string }; message?: string };
    if (!res.ok || !body.org?.id)
      throw new Error(`could not find the token's organization (${res.status}); give --org ID`);
    org = body.org.id;
  }
  return { url, token, org };
}

async function call(
  t: Target,
  method: string,
  path: string,
  upload?: { body: ReadableStream<Uint8Array>; contentType: string; length: number },
): Promise<unknown> {
  const headers: Record<string, string> = { "x-api-key": t.token, "x-tenant-id": t.org };
  if (upload) {
    headers["content-type"] = upload.contentType;
    headers["content-length"] = String(upload.length);
  }
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers,
    ...(upload ? { body: upload.body, duplex: "half" } : {}),
  } as RequestInit);
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${body.code ?? ""}: ${body.message ?? ""}`);
  return body;
}

function duration(seconds: number | null): string {
  if (seconds === null) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = String(m).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** One line for a terminal: a bar, the counts, the pace and the time left. */
export function bar(job: JobView, width = 30): string {
  const t = job.totals;
  const read = t.read ?? 0;
  const done = t.processed ?? 0;
  const share = read > 0 ? done / read : 0;
  const filled = Math.round(share * width);
  const counts = job.dry_run
    ? `valid ${t.valid} failed ${t.failed}`
    : `created ${t.created} invited ${t.invited} mailed ${t.mailed} skipped ${t.skipped} failed ${t.failed}`;
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done}/${read}  ${counts}  ${job.rows_per_second ?? 0} rows/s  left ${duration(job.eta_seconds)}`;
}

/** One plain line, for logs and pipes. */
export function line(job: JobView): string {
  const t = job.totals;
  return `${job.status} ${t.processed}/${t.read} created=${t.created} invited=${t.invited} mailed=${t.mailed} skipped=${t.skipped} failed=${t.failed}${job.dry_run ? ` valid=${t.valid}` : ""} rows/s=${job.rows_per_second ?? 0} eta=${duration(job.eta_seconds)}`;
}

async function report(t: Target, job: JobView, out: (s: string) => void): Promise<number> {
  if (job.status !== "done") out(`job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ""}`);
  const failed = job.totals.failed ?? 0;
  if (failed > 0) {
    const page = (await call(t, "GET", `/v1/invite-jobs/${job.id}/rows?status=failed&limit=20`)) as {
      data: Array<{ row: number; email: string; reason: string; message: string }>;
      has_more: boolean;
    };
    out(`${failed} rows failed:`);
    for (const r of page.data) out(`  row ${r.row} ${r.email}: ${r.reason} — ${r.message}`);
    if (page.has_more) out(`  … the rest: GET /v1/invite-jobs/${job.id}/rows?status=failed`);
  }
  return job.status === "done" && (job.totals.failed ?? 0) === 0 ? 0 : 1;
}
