import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { finished, type JobClient, jobCall, uploadJob } from "./helpers/invite-jobs.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort } from "./helpers/test-app.ts";

test("SIGKILL of the process working on a job: another process finishes it; no user created twice, no row lost, no invite twice", async () => {
  const db = await sharedDatabase();
  const env: Record<string, string> = {
    ...db.env,
    USHER_MAIL_PROVIDER: "mailbox",
    USHER_INVITE_JOB_BATCH: "50",
  };
  // B applies no rows until A is gone: the job is A's alone, so the kill lands mid-job.
  const a = await spawnUsher(await freePort(), env);
  const b = await spawnUsher(await freePort(), { ...env, USHER_INVITE_JOB_CONCURRENCY: "0" });
  let b2: Awaited<ReturnType<typeof spawnUsher>> | undefined;
  const conn = await db.open();
  try {
    const token = readFileSync(path.join(env.USHER_DATA_DIR as string, "admin.pat"), "utf8").trim();
    const tenantId = (await conn.query<{ default_org_id: string }>("select default_org_id from instance"))[0]
      ?.default_org_id as string;
    const rows = 3000;
    const csv = `email\n${Array.from({ length: rows }, (_, i) => `crash-${i}@example.com`).join("\n")}\n`;
    const ca: JobClient = { baseUrl: a.baseUrl, token, tenantId };
    const up = await uploadJob(ca, csv);
    assert.equal(up.status, 202);
    const id = up.body.id as string;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const job = await jobCall(ca, "GET", `/v1/invite-jobs/${id}`);
      const done = (job.body.totals as { processed: number }).processed;
      if (done >= 200) break;
      assert.ok(Date.now() < deadline, "A did not start the job");
      await new Promise((r) => setTimeout(r, 50));
    }
    await a.kill();
    const before = (await jobCall({ ...ca, baseUrl: b.baseUrl }, "GET", `/v1/invite-jobs/${id}`)).body;
    assert.ok((before.totals as { processed: number }).processed < rows, "killed mid-job");
    // A restart of the second process with workers on: it continues the job A started.
    await b.stop();
    b2 = await spawnUsher(await freePort(), env);
    const job = await finished({ ...ca, baseUrl: b2.baseUrl }, id, 240_000, 1000);
    assert.equal(job.status, "done");
    assert.deepEqual(
      [job.totals.read, job.totals.processed, job.totals.created, job.totals.failed],
      [rows, rows, rows, 0],
    );
    const counts = await conn.query<Record<string, number>>(
      `select (select count(*)::int from users where email like 'crash-%') as users,
              (select count(distinct lower(email))::int from users where email like 'crash-%') as addresses,
              (select count(*)::int from invite_job_rows where job_id = $1 and status = 'created') as created_rows,
              (select count(*)::int from invite_job_rows where job_id = $1 and status = 'pending') as pending_rows,
              (select count(*)::int from outbox where message_type = 'InviteUser' and recipient like 'crash-%') as invites,
              (select count(distinct user_id)::int from outbox where message_type = 'InviteUser' and recipient like 'crash-%') as invited_users,
              (select count(*)::int from events e join users u on u.id = e.aggregate_id
                where u.email like 'crash-%' and e.type = 'user.human.added') as added_events`,
      [id],
    );
    assert.deepEqual(counts[0], {
      users: rows,
      addresses: rows,
      created_rows: rows,
      pending_rows: 0,
      invites: rows,
      invited_users: rows,
      added_events: rows,
    });
    // Mailed: every invite once. The job queues each invite once (above); delivery itself is at
    // least once (ARCHITECTURE §6): a message A was handing to the provider when it was killed
    // is sent again after its lease — that window, at most A's sends in flight, is all the slack.
    const deadlineMail = Date.now() + 120_000;
    let mailed: Record<string, number> | undefined;
    for (;;) {
      mailed = (
        await conn.query<Record<string, number>>(
          `select count(*)::int as deliveries, count(distinct outbox_id)::int as messages,
                  count(distinct recipient)::int as recipients
             from mailbox where recipient like 'crash-%'`,
        )
      )[0];
      if ((mailed?.messages ?? 0) >= rows || Date.now() > deadlineMail) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(mailed?.messages, rows, "every invite delivered");
    assert.equal(mailed?.recipients, rows);
    const inFlight = 32; // USHER_DELIVERY_CONCURRENCY's default: A's sends in flight at most
    assert.ok(
      (mailed?.deliveries ?? 0) <= rows + inFlight,
      `${mailed?.deliveries} deliveries: more than the sends in flight at the kill were repeated`,
    );
  } finally {
    await conn.close();
    await a.kill();
    await b.stop();
    await b2?.stop();
    await db.drop();
  }
});
