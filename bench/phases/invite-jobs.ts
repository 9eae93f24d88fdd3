import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Databases } from "../lib/pg-admin.ts";
import { sampleUsage } from "../lib/proc-stats.ts";
import { startSmtpSink } from "../lib/smtp-sink.ts";
import { adminToken, call, startUsher } from "../lib/usher.ts";

export interface InviteJobRecord {
  database: "postgres" | "embedded";
  /** `none`: invites queued, mail not measured; else the USHER_MAIL_RATE the mail was sent at. */
  mail: string;
  rows: number;
  /** Upload of the file (stored as rows) until the answer. */
  uploadSeconds: number;
  /** The job's own pace: rows applied (users created and invites queued) per second. */
  rowsPerSecond: number;
  /** With mail: from the upload to the last invite accepted by the SMTP server, per second. */
  mailedPerSecond: number | null;
  peakRssMiB: number;
  cpuCores: number;
}

/**
 * Times an invite job of `rows` people through one Usher process: the upload, the rows applied
 * per second (the job's own `rows_per_second`), and — in a second run with an SMTP sink and
 * USHER_MAIL_RATE — how fast the invites then reach the provider.
 */
export async function runInviteJobs(
  databases: Databases,
  name: string,
  rows: number,
  mailRate: number,
  database: "postgres" | "embedded",
): Promise<InviteJobRecord[]> {
  const records: InviteJobRecord[] = [];
  for (const withMail of [false, true]) {
    const url =
      database === "postgres" ? await databases.create(`${name}_${withMail ? "mail" : "plain"}`) : undefined;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-jobs-"));
    const sink = withMail ? await startSmtpSink() : undefined;
    const server = await startUsher({
      name: "usher-jobs",
      databaseUrl: url,
      dataDir,
      smtpUrl: sink?.url,
      env: withMail ? { USHER_MAIL_RATE: String(mailRate) } : {},
    });
    try {
      const token = adminToken(dataDir);
      const me = await call<{ org: { id: string } }>(server.baseUrl, "GET", "/management/v1/orgs/me", {
        token,
      });
      const headers = { "x-api-key": token, "x-tenant-id": me.org.id };
      const stamp = Date.now();
      const lines = ["email,name"];
      for (let i = 0; i < rows; i++) lines.push(`bench-${stamp}-${i}@example.com,Person ${i}`);
      const usage = sampleUsage([server.pid]);
      const t0 = performance.now();
      const res = await fetch(`${server.baseUrl}/v1/invite-jobs`, {
        method: "POST",
        headers: { ...headers, "content-type": "text/csv" },
        body: lines.join("\n"),
      });
      const job = (await res.json()) as { id: string };
      if (res.status !== 202) throw new Error(`upload: ${res.status} ${JSON.stringify(job)}`);
      const uploadSeconds = (performance.now() - t0) / 1000;
      let view: { status: string; rows_per_second: number | null; totals: { created: number } };
      for (;;) {
        view = await call(server.baseUrl, "GET", `/v1/invite-jobs/${job.id}`, { headers });
        if (!["queued", "running"].includes(view.status)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      let mailedPerSecond: number | null = null;
      if (sink) {
        const deadline = performance.now() + 600_000;
        while (sink.accepted() < view.totals.created && performance.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        mailedPerSecond = sink.accepted() / ((performance.now() - t0) / 1000);
      }
      const u = usage.stop();
      const record: InviteJobRecord = {
        database,
        mail: withMail ? `USHER_MAIL_RATE=${mailRate}` : "none",
        rows,
        uploadSeconds,
        rowsPerSecond: view.rows_per_second ?? 0,
        mailedPerSecond,
        peakRssMiB: u.peakRssMiB,
        cpuCores: u.cpuCores,
      };
      records.push(record);
      process.stdout.write(
        `  invite job      ${database} ${record.mail}: ${rows} rows, upload ${uploadSeconds.toFixed(1)} s, ${record.rowsPerSecond} rows/s${mailedPerSecond === null ? "" : `, mailed ${mailedPerSecond.toFixed(0)}/s`}, rss ${u.peakRssMiB.toFixed(0)} MiB\n`,
      );
    } finally {
      await server.stop();
      await sink?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return records;
}
