import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { finished, type JobClient, uploadJob } from "./helpers/invite-jobs.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort } from "./helpers/test-app.ts";

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * 100,000 rows: every 100th a bad address, every 100th (offset) a repeat of an earlier row.
 * Built as a stream of chunks, so the test holds no more of it than the server does.
 */
function csvOf(rows: number): ReadableStream<Uint8Array> {
  let i = 0;
  const enc = new TextEncoder();
  return new ReadableStream({
    pull(ctl) {
      if (i === 0) ctl.enqueue(enc.encode("email,name\n"));
      const lines: string[] = [];
      for (let n = 0; n < 2000 && i < rows; n++, i++) {
        if (i % 100 === 37) lines.push(`bad-address-${i},Bad ${i}`);
        else if (i % 100 === 71) lines.push(`person-${i - 50}@example.com,Repeat ${i}`);
        else lines.push(`person-${i}@example.com,Person ${i}`);
      }
      ctl.enqueue(enc.encode(`${lines.join("\n")}\n`));
      if (i >= rows) ctl.close();
    },
  });
}

// A generous time limit: the job takes a minute or two on an idle 2-core machine, longer on a busy one.
test("100,000 rows with 1% bad and 1% duplicates: exact counts, one queued invite per created user, RSS under 300 MB", {
  timeout: 600_000,
}, async () => {
  const db = await sharedDatabase();
  // Mail is not sent here (the invites stay queued): this measures the job, not the provider.
  const usher = await spawnUsher(await freePort(), {
    ...db.env,
    USHER_MAIL_PROVIDER: "mailbox",
    USHER_DELIVERY_CONCURRENCY: "1",
    USHER_MAIL_RATE: "1",
  });
  const pid = usher.child.pid as number;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  try {
    const token = readFileSync(path.join(db.env.USHER_DATA_DIR as string, "admin.pat"), "utf8").trim();
    const conn = await db.open();
    const tenantId = (await conn.query<{ default_org_id: string }>("select default_org_id from instance"))[0]
      ?.default_org_id as string;
    const c: JobClient = { baseUrl: usher.baseUrl, token, tenantId };
    const up = await uploadJob(c, csvOf(100_000));
    assert.equal(up.status, 202, JSON.stringify(up.body));
    const job = await finished(c, up.body.id as string, 560_000, 2000);
    assert.equal(job.status, "done");
    assert.equal(job.totals.read, 100_000);
    assert.equal(job.totals.processed, 100_000);
    assert.equal(job.totals.created, 98_000);
    assert.equal(job.totals.invited, 98_000);
    assert.equal(job.totals.skipped, 0);
    assert.equal(job.totals.failed, 2_000);
    const reasons = await conn.query<{ reason: string; n: number }>(
      "select reason, count(*)::int as n from invite_job_rows where status = 'failed' group by reason order by reason",
    );
    assert.deepEqual(
      reasons.map((r) => [r.reason, r.n]),
      [
        ["duplicate", 1000],
        ["invalid_email", 1000],
      ],
    );
    const invites = await conn.query<{ users: number; messages: number; distinct_users: number }>(
      `select (select count(*)::int from users where email like 'person-%') as users,
              count(*)::int as messages, count(distinct o.user_id)::int as distinct_users
         from outbox o where o.message_type = 'InviteUser'`,
    );
    assert.deepEqual(invites[0], { users: 98_000, messages: 98_000, distinct_users: 98_000 });
    await conn.close();
    console.log(`# 100,000 rows: ${job.rows_per_second} rows/s, peak RSS ${peak.toFixed(0)} MB`);
    assert.ok(peak > 0 && peak < 300, `peak RSS ${peak} MB`);
  } finally {
    clearInterval(sampler);
    await usher.stop();
    await db.drop();
  }
});
