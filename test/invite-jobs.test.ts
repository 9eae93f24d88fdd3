import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { authenticate } from "../src/authz/authenticate.ts";
import { createAndInvite, type NewTenantUser } from "../src/commands/tenant-onboarding.ts";
import { allRows, finished, type JobClient, jobCall, uploadJob } from "./helpers/invite-jobs.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

let t: TestApp;
let c: JobClient;

before(async () => {
  t = await startTestApp({ config: { inviteJobMaxBytes: 4096, inviteJobBatch: 3 } });
  c = { baseUrl: t.baseUrl, token: t.adminToken, tenantId: t.defaultOrgId };
});
after(() => t.stop());

async function createOne(email: string) {
  const res = await fetch(`${t.baseUrl}/v1/users`, {
    method: "POST",
    headers: { "x-api-key": t.adminToken, "x-tenant-id": t.defaultOrgId, "content-type": "application/json" },
    body: JSON.stringify({ email, name: "Already Here" }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

async function invitesOf(email: string): Promise<number> {
  const rows = await t.app.db.query<{ n: number }>(
    `select count(*)::int as n from outbox o join users u on u.id = o.user_id
      where lower(u.email) = lower($1) and o.message_type = 'InviteUser'`,
    [email],
  );
  return rows[0]?.n ?? 0;
}

test("a CSV job: good rows created and invited once, bad, duplicate and existing rows reported with reasons", async () => {
  const p = unique("p");
  const existing = `${p}-old@example.com`;
  await createOne(existing);
  const csv = [
    "email,given_name,family_name,locale,username,name",
    `${p}-a@example.com,Ada,Lovelace,de,${p}-ada,`,
    `${p}-b@example.com,,,,,Grace Hopper`,
    `not-an-address,,,,,`,
    `${p}-A@EXAMPLE.com,,,,,Again`,
    `${existing},,,,,`,
    `"${p}-c@example.com",Alan,Turing,en,,`,
    `${p}-d@example.com,too,many,fields,here,x,y`,
    // The username of an existing user: refused by the single-user rule, the row alone (the batch
    // goes on). (Two rows of one file wanting one username are not used here: lanes claiming at
    // once may split them between batches, and then whichever commits second is refused.)
    `${p}-e@example.com,Eve,,,${existing},`,
  ].join("\n");
  const up = await uploadJob(c, csv, { query: { application_name: "Acme", on_existing: "skip" } });
  assert.equal(up.status, 202, JSON.stringify(up.body));
  assert.ok(typeof up.body.id === "string");
  const job = await finished(c, up.body.id as string);
  assert.equal(job.status, "done");
  assert.deepEqual(
    { ...job.totals, mailed: 0 },
    { read: 8, processed: 8, created: 3, invited: 3, mailed: 0, skipped: 1, failed: 4, valid: 0 },
  );
  const failed = await allRows(c, job.id, "failed");
  assert.deepEqual(
    failed.map((r) => [r.row, r.reason]),
    [
      [3, "invalid_email"],
      [4, "duplicate"],
      [7, "invalid_row"],
      [8, "conflict"],
    ],
  );
  assert.match(String(failed.find((r) => r.row === 4)?.message), /row 1/);
  const skipped = await allRows(c, job.id, "skipped");
  assert.deepEqual(
    skipped.map((r) => [r.row, r.reason]),
    [[5, "exists"]],
  );
  for (const who of ["a", "b", "c"]) assert.equal(await invitesOf(`${p}-${who}@example.com`), 1, who);
  assert.equal(await invitesOf(`${p}-e@example.com`), 0);
  const eve = await t.app.db.query("select 1 from users where email = $1", [`${p}-e@example.com`]);
  assert.equal(eve.length, 0, "a refused row leaves no user");
  assert.equal(await invitesOf(existing), 1, "the existing user keeps its one invite");
  const ada = await t.app.db.query<Record<string, string>>(
    "select given_name, family_name, preferred_language, username, display_name from users where email = $1",
    [`${p}-a@example.com`],
  );
  assert.deepEqual(ada[0], {
    given_name: "Ada",
    family_name: "Lovelace",
    preferred_language: "de",
    username: `${p}-ada`,
    display_name: "Ada Lovelace",
  });
  const payload = await t.app.db.query<{ payload: { applicationName: string } }>(
    "select o.payload from outbox o join users u on u.id = o.user_id where u.email = $1",
    [`${p}-a@example.com`],
  );
  assert.equal(payload[0]?.payload.applicationName, "Acme");
  // The mail worker (the dev mailbox) delivers them: the job reports them as mailed.
  const deadline = Date.now() + 10_000;
  let mailed = 0;
  while (mailed < 3 && Date.now() < deadline) {
    mailed = ((await jobCall(c, "GET", `/v1/invite-jobs/${job.id}`)).body.totals as { mailed: number })
      .mailed;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(mailed, 3);
});

/**
 * Everything Usher stored about one user — the user row, its events, its codes and its
 * messages — with what must differ between two users (ids, times, the address, the code and its
 * seal) replaced by placeholders.
 */
async function storedUser(email: string): Promise<string> {
  const db = t.app.db;
  const [user] = await db.query<Record<string, unknown>>("select * from users where email = $1", [email]);
  assert.ok(user, email);
  const id = user.id as string;
  const { created_at, updated_at, password_changed_at, ...row } = user;
  const events = await db.query(
    "select aggregate_type, sequence, type, payload, actor from events where aggregate_id = $1 order by sequence",
    [id],
  );
  const codes = await db.query(
    `select kind, code_hash is not null as hashed, expires_at - created_at as ttl, failed_attempts, code_returned,
            url_template, application_name, auth_request_id, email, send_count, last_sent_at
       from user_codes where user_id = $1 order by kind`,
    [id],
  );
  const messages = await db.query<Record<string, unknown>>(
    `select message_type, code_kind, recipient, status, payload - 'codeExpiresAt' as payload,
            secret is not null as sealed, attempts, expires_at - created_at as ttl, provider
       from outbox where user_id = $1 order by created_at`,
    [id],
  );
  const local = email.split("@")[0] as string;
  return JSON.stringify({ row, events, codes, messages })
    .replaceAll(id, "<id>")
    .replaceAll(email, "<email>")
    .replaceAll(local, "<local>");
}

test("a job's user is stored exactly as a single creation stores it: user, events, code, message", async () => {
  // No mail is sent meanwhile: a delivery would add its `*.code.sent` event to one stream only.
  await t.app.worker.stop();
  await t.app.inviteJobs.stop();
  const p = unique("same");
  const people: Array<Omit<NewTenantUser, "email" | "sendInvite">> = [
    { name: "Ada Lovelace", locale: "de", username: `${p}-ada-name` },
    { givenName: "Grace", familyName: "Hopper", locale: "not a locale" },
    {},
  ];
  const options = { applicationName: "Acme", urlTemplate: "https://app.example/join/{{.UserID}}/{{.Code}}" };
  try {
    const caller = await authenticate(t.app.db, `Bearer ${t.adminToken}`, new Date());
    for (const [i, person] of people.entries())
      await t.app.db.transaction((tx) =>
        createAndInvite(tx, t.app.deps, caller, t.defaultOrgId, {
          ...person,
          username: person.username && `${person.username}-single`,
          email: `${p}-single-${i}@example.com`,
          sendInvite: true,
          ...options,
        }),
      );
    const csv = [
      "email,name,given_name,family_name,locale,username",
      ...people.map(
        (x, i) =>
          `${p}-job-${i}@example.com,${x.name ?? ""},${x.givenName ?? ""},${x.familyName ?? ""},${x.locale ?? ""},${x.username ? `${x.username}-job` : ""}`,
      ),
    ].join("\n");
    const up = await uploadJob(c, csv, {
      query: { application_name: options.applicationName, url_template: options.urlTemplate },
    });
    assert.equal(up.status, 202, JSON.stringify(up.body));
    await t.app.inviteJobs.start();
    const job = await finished(c, up.body.id as string);
    assert.equal(job.totals.created, people.length);
    for (const i of people.keys()) {
      const single = (await storedUser(`${p}-single-${i}@example.com`)).replaceAll("-single", "-X");
      const fromJob = (await storedUser(`${p}-job-${i}@example.com`)).replaceAll("-job", "-X");
      assert.equal(fromJob, single, `person ${i}`);
    }
  } finally {
    await t.app.inviteJobs.stop();
    await t.app.inviteJobs.start();
    await t.app.worker.start();
  }
});

test("JSON lines, send_invite=false, on_existing=fail and resend", async () => {
  const p = unique("j");
  const old = `${p}-old@example.com`;
  await createOne(old);
  const lines = [
    JSON.stringify({ email: `${p}-x@example.com`, name: "X Person" }),
    "{not json",
    JSON.stringify({ email: old }),
    JSON.stringify({ email: `${p}-y@example.com`, extra: 1 }),
    "",
  ].join("\n");
  const up = await uploadJob(c, lines, {
    contentType: "application/x-ndjson",
    query: { send_invite: "false", on_existing: "fail" },
  });
  assert.equal(up.status, 202, JSON.stringify(up.body));
  const job = await finished(c, up.body.id as string);
  assert.equal(job.totals.created, 1);
  assert.equal(job.totals.invited, 0);
  assert.equal(job.totals.failed, 3);
  assert.deepEqual(
    (await allRows(c, job.id, "failed")).map((r) => r.reason),
    ["invalid_row", "exists", "invalid_row"],
  );
  assert.equal(await invitesOf(`${p}-x@example.com`), 0);

  const resend = await uploadJob(c, `email\n${old}\n`, { query: { on_existing: "resend" } });
  const again = await finished(c, resend.body.id as string);
  assert.deepEqual([again.totals.invited, again.totals.created], [1, 0]);
  assert.equal(await invitesOf(old), 2);
});

test("a dry run applies nothing and reports what a run would do", async () => {
  const p = unique("d");
  const csv = `email\n${p}-1@example.com\n${p}-2@example.com\nbad\n${p}-1@example.com\n`;
  const up = await uploadJob(c, csv, { query: { dry_run: "true" } });
  const job = await finished(c, up.body.id as string);
  assert.deepEqual(
    [job.totals.valid, job.totals.failed, job.totals.created, job.totals.invited],
    [2, 2, 0, 0],
  );
  const users = await t.app.db.query("select 1 from users where email like $1", [`${p}-%`]);
  assert.equal(users.length, 0);
  const throttle = await t.app.db.query("select 1 from send_throttle where key like $1", [`r:${p}-%`]);
  assert.equal(throttle.length, 0);
});

test("the errors: media type, header, size, credential, unknown job, options, cancel", async () => {
  assert.equal((await uploadJob(c, "email\na@b.c\n", { contentType: "application/json" })).status, 415);
  const header = await uploadJob(c, "mail,nom\nx@example.com,y\n");
  assert.equal(header.status, 400);
  assert.equal(header.body.code, "validation_error");
  assert.match(String(header.body.message), /unknown column "mail"/);
  assert.match(String(header.body.message), /no "email" column/);
  assert.equal((await uploadJob(c, "")).status, 400);
  assert.equal((await uploadJob(c, 'email\n"broken\n')).status, 400);
  const big = `email\n${"x@example.com\n".repeat(400)}`;
  const tooLarge = await uploadJob(c, big);
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.body.code, "payload_too_large");
  // Counted while read, when no length is declared.
  const stream = new ReadableStream<Uint8Array>({
    start(ctl) {
      ctl.enqueue(new TextEncoder().encode(big));
      ctl.close();
    },
  });
  assert.equal((await uploadJob(c, stream)).status, 413);
  const jobsLeft = await t.app.db.query("select 1 from invite_jobs where status = 'receiving'");
  assert.equal(jobsLeft.length, 0, "a refused upload leaves no job");
  assert.equal((await uploadJob({ ...c, token: "nope" }, "email\n")).status, 401);
  const bad = await uploadJob(c, "email\n", { query: { on_existing: "maybe" } });
  assert.equal(bad.status, 400);
  assert.equal(
    (await uploadJob(c, "email\n", { query: { url_template: "javascript:alert(1)" } })).status,
    400,
  );
  assert.equal((await jobCall(c, "GET", "/v1/invite-jobs/0193aaaa-0000-7000-8000-000000000000")).status, 404);
  const empty = await uploadJob(c, "email\n");
  assert.equal(empty.status, 202);
  assert.equal((empty.body as { status: string }).status, "done");
  const cancelDone = await jobCall(c, "POST", `/v1/invite-jobs/${empty.body.id}/cancel`);
  assert.equal(cancelDone.status, 409);
  assert.equal(cancelDone.body.code, "job_finished");
  assert.equal((await jobCall(c, "GET", `/v1/invite-jobs/${empty.body.id}/rows?cursor=zzz`)).status, 400);
});

test("a file that is not UTF-8 is refused whole with invalid_encoding, naming the line; nothing is kept", async () => {
  const p = unique("enc");
  const latin1 = Buffer.concat([
    Buffer.from(`email,name\n${p}-1@example.com,Ok\n${p}-2@example.com,M`),
    Buffer.from([0xfc]), // ü in Latin-1
    Buffer.from("ller\n"),
  ]);
  const csv = await uploadJob(c, latin1);
  assert.equal(csv.status, 400, JSON.stringify(csv.body));
  assert.equal(csv.body.code, "invalid_encoding");
  assert.deepEqual(csv.body.details, { line: 3, byte_offset: latin1.indexOf(0xfc) });
  const jsonl = Buffer.concat([
    Buffer.from(`{"email":"${p}-3@example.com","name":"`),
    Buffer.from([0xe9, 0x22, 0x7d]),
  ]);
  const lines = await uploadJob(c, jsonl, { contentType: "application/x-ndjson" });
  assert.equal(lines.status, 400);
  assert.equal(lines.body.code, "invalid_encoding");
  assert.equal((lines.body.details as { line: number }).line, 1);
  const jobs = await t.app.db.query("select 1 from invite_job_rows where email like $1", [`${p}-%`]);
  assert.equal(jobs.length, 0, "no row of a refused file is kept");
  // UTF-8 with a byte order mark and a character split across chunks is read as written.
  const good = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(`email,name\n${p}-4@example.com,Müller 日本\n`),
  ]);
  const chunks = [good.subarray(0, 2), good.subarray(2, good.length - 5), good.subarray(good.length - 5)];
  const stream = new ReadableStream<Uint8Array>({
    start(ctl) {
      for (const part of chunks) ctl.enqueue(part);
      ctl.close();
    },
  });
  const ok = await uploadJob(c, stream);
  assert.equal(ok.status, 202, JSON.stringify(ok.body));
  const job = await finished(c, ok.body.id as string);
  assert.equal(job.totals.created, 1);
  const [user] = await t.app.db.query<{ display_name: string }>(
    "select display_name from users where email = $1",
    [`${p}-4@example.com`],
  );
  assert.equal(user?.display_name, "Müller 日本");
});

test("Idempotency-Key: the same file and options answer the first job; another file or options with the key are refused", async () => {
  const p = unique("idem");
  const file = `email\n${p}-1@example.com\n${p}-2@example.com\n`;
  const key = { "idempotency-key": `${p}-key` };
  const first = await uploadJob(c, file, { headers: key });
  assert.equal(first.status, 202);
  const again = await uploadJob(c, file, { headers: key });
  assert.equal(again.status, 202);
  assert.deepEqual(again.body, first.body, "the first answer, replayed");
  const stored = await t.app.db.query("select 1 from invite_jobs where id = $1", [first.body.id]);
  assert.equal(stored.length, 1);
  const jobsOfKey = await t.app.db.query("select 1 from invite_job_rows where email = $1", [
    `${p}-1@example.com`,
  ]);
  assert.equal(jobsOfKey.length, 1, "the file is stored once");
  const otherFile = await uploadJob(c, `email\n${p}-3@example.com\n`, { headers: key });
  assert.equal(otherFile.status, 422);
  assert.equal(otherFile.body.code, "idempotency_key_reused");
  const otherOptions = await uploadJob(c, file, { headers: key, query: { dry_run: "true" } });
  assert.equal(otherOptions.status, 422);
  assert.equal(otherOptions.body.code, "idempotency_key_reused");
  // A refused upload is forgotten: its key may be used again.
  const refusedKey = { "idempotency-key": `${p}-refused` };
  assert.equal((await uploadJob(c, "mail\nx\n", { headers: refusedKey })).status, 400);
  assert.equal((await uploadJob(c, file, { headers: refusedKey })).status, 202);
});

test("GET /v1/invite-jobs lists the tenant's jobs newest first, by status, page by page", async () => {
  const p = unique("list");
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const up = await uploadJob(c, `email\n${p}-${i}@example.com\n`, { query: { dry_run: "true" } });
    assert.equal(up.status, 202);
    ids.push(up.body.id as string);
    await finished(c, up.body.id as string);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await jobCall(c, "GET", `/v1/invite-jobs?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    const data = page.body.data as Array<{ id: string; totals: { mailed: number | null } }>;
    assert.ok(data.length <= 2);
    for (const j of data) {
      seen.push(j.id);
      assert.equal(j.totals.mailed, null, "mailed is counted for one job only");
    }
    cursor = page.body.next_cursor as string | null;
  } while (cursor);
  const mine = seen.filter((id) => ids.includes(id));
  assert.deepEqual(mine, [...ids].reverse(), "newest first");
  assert.equal(new Set(seen).size, seen.length, "no job twice across pages");
  const done = await jobCall(c, "GET", "/v1/invite-jobs?status=done&limit=100");
  assert.ok((done.body.data as Array<{ status: string }>).every((j) => j.status === "done"));
  const running = await jobCall(c, "GET", "/v1/invite-jobs?status=receiving");
  assert.deepEqual(running.body.data, []);
  assert.equal((await jobCall(c, "GET", "/v1/invite-jobs?cursor=zzz")).status, 400);
  assert.equal((await jobCall(c, "GET", "/v1/invite-jobs?status=maybe")).status, 400);
  assert.equal((await jobCall({ ...c, token: "nope" }, "GET", "/v1/invite-jobs")).status, 401);
});

test("a cancelled job applies no more rows", async () => {
  await t.app.inviteJobs.stop();
  try {
    const p = unique("c");
    const rows = Array.from({ length: 20 }, (_, i) => `${p}-${i}@example.com`).join("\n");
    const up = await uploadJob(c, `email\n${rows}\n`);
    assert.equal(up.body.status, "queued");
    const cancelled = await jobCall(c, "POST", `/v1/invite-jobs/${up.body.id}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, "cancelled");
  } finally {
    await t.app.inviteJobs.start();
  }
  await new Promise((r) => setTimeout(r, 500));
  const users = await t.app.db.query("select 1 from users where email like 'c-%'");
  assert.equal(users.length, 0);
});

test("the OpenAPI document describes the invite job calls, their options and errors", async () => {
  const doc = (await (await fetch(`${t.baseUrl}/v1/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters: Array<{ name: string }>;
          responses: Record<string, unknown>;
          requestBody?: { content: Record<string, unknown> };
        }
      >
    >;
  };
  const post = doc.paths["/v1/invite-jobs"]?.post;
  assert.ok(post);
  const names = post.parameters.map((p) => p.name);
  for (const o of ["send_invite", "application_name", "url_template", "on_existing", "dry_run"])
    assert.ok(names.includes(o), o);
  assert.ok(post.requestBody?.content["text/csv"]);
  for (const s of ["202", "400", "401", "403", "413", "415"]) assert.ok(post.responses[s], s);
  assert.ok(doc.paths["/v1/invite-jobs/{id}/rows"]?.get);
  assert.ok(doc.paths["/v1/invite-jobs"]?.get, "the list");
  assert.ok(names.includes("Idempotency-Key"));
  assert.ok(post.responses["422"]);
  assert.ok(doc.paths["/v1/invite-jobs/{id}/cancel"]?.post?.responses["409"]);
});

test("usher invite: uploads, prints plain progress when not on a terminal, lists failed rows; --watch re-attaches", async () => {
  const p = unique("cli");
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-cli-"));
  const file = path.join(dir, "people.csv");
  writeFileSync(file, `email,name\n${p}-1@example.com,One\nnope,Bad\n${p}-2@example.com,Two\n`);
  const env = {
    PATH: process.env.PATH ?? "",
    USHER_URL: t.baseUrl,
    USHER_TOKEN: t.adminToken,
    USHER_DATA_DIR: dir,
  };
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["bin/usher.js", "invite", ...args], { env });
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      child.stderr.on("data", (d) => {
        out += d;
      });
      child.on("exit", (code) => resolve({ code, out }));
    });
  try {
    const first = await run(["--file", file, "--org", t.defaultOrgId]);
    assert.equal(first.code, 1, first.out);
    const id = /job ([0-9a-f-]{36}): 3 rows/.exec(first.out)?.[1];
    assert.ok(id, first.out);
    assert.match(first.out, /done 3\/3 created=2 invited=2 mailed=\d skipped=0 failed=1/);
    assert.match(first.out, /row 2 nope: invalid_email/);
    // Without --org: the token's own organization.
    const watch = await run(["--watch", id]);
    assert.equal(watch.code, 1, watch.out);
    assert.match(watch.out, /done 3\/3 created=2/);
    const bad = await run(["--file", path.join(dir, "missing.csv")]);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /no file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Last in this file: it moves the app's clock a month on.
test("a finished job's rows are deleted after USHER_INVITE_JOB_RETENTION; the job keeps its totals", async () => {
  const p = unique("old");
  const up = await uploadJob(c, `email\n${p}-1@example.com\nnope\n`);
  const job = await finished(c, up.body.id as string);
  const view = (await jobCall(c, "GET", `/v1/invite-jobs/${job.id}`)).body;
  const day = 86_400_000;
  assert.equal(
    Date.parse(view.rows_kept_until as string) - Date.parse(view.finished_at as string),
    30 * day,
    "30 days by default",
  );
  assert.equal(await t.app.inviteJobs.purgeExpiredRows(), 0, "nothing is due yet");
  assert.equal((await allRows(c, job.id, "failed")).length, 1);
  t.advance(30 * day + 60_000);
  assert.ok((await t.app.inviteJobs.purgeExpiredRows()) >= 2);
  assert.deepEqual(await allRows(c, job.id, "failed"), []);
  const left = await t.app.db.query("select 1 from invite_job_rows where job_id = $1", [job.id]);
  assert.equal(left.length, 0);
  const after = await jobCall(c, "GET", `/v1/invite-jobs/${job.id}`);
  assert.equal(after.status, 200);
  assert.deepEqual([after.body.status, (after.body.totals as { failed: number }).failed], ["done", 1]);
});
