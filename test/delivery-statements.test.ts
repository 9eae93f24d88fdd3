import assert from "node:assert/strict";
import { test } from "node:test";
import { uuidv7 } from "../src/domain/ids.ts";
import { type Enqueued, enqueueMessages } from "../src/outbox/enqueue.ts";
import { outboxQueries } from "../src/queries/outbox.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";

// The delivery worker's two statements run for every message. These tests hold the two
// properties that keep them cheap (ARCHITECTURE decision 22), read from PostgreSQL's own
// plan cache and from where rows are stored, not from timings.

const USERS = 5_000;

/** An organization with `USERS` users (full pages of the users table) and one queued invite each. */
async function seed(db: Awaited<ReturnType<Awaited<ReturnType<typeof sharedDatabase>>["open"]>>) {
  const at = new Date();
  await db.query("insert into organizations (id, name, primary_domain) values ('o', 'O', 'o.example')");
  await db.query(
    `insert into users (org_id, id, type, state, username, email, display_name, given_name, family_name,
       sequence, created_at, updated_at)
     select 'o', 'u' || n, 'human', 1, 'user-' || n || '@example.com', 'user-' || n || '@example.com',
       'User ' || n, 'User', 'Number ' || n, 1, $1, $1
       from generate_series(1, $2::int) n`,
    [at, USERS],
  );
  const batch: Enqueued[] = [];
  for (let n = 1; n <= USERS; n++)
    batch.push({
      id: uuidv7(),
      at,
      message: {
        orgId: "o",
        userId: `u${n}`,
        type: "InviteUser",
        codeKind: null,
        recipient: `user-${n}@example.com`,
        payload: {
          userId: `u${n}`,
          orgId: "o",
          username: `user-${n}@example.com`,
          displayName: `User ${n}`,
          givenName: "User",
          preferredLanguage: "en",
        },
        secret: null,
        expiresAt: new Date(at.getTime() + 3_600_000),
      },
    });
  await enqueueMessages(db, batch);
  await db.query("analyze");
  return at;
}

test("recording sent messages updates their users in place (HOT); the claim keeps a generic plan", async () => {
  const shared = await sharedDatabase();
  const db = await shared.open();
  try {
    const at = await seed(db);

    // A user's new version stays on its page when the page has room, and then, as the sequence
    // is in no index, it is a HOT update; on a full page it moves, with an entry in every index.
    // One user per page, so that the room kept on each page decides alone (without it, pages
    // gain room only as earlier updates' old versions are pruned, which other work can delay).
    const users = (
      await db.query<{ id: string }>(
        `select id from (select distinct on ((ctid::text::point)[0]) id, (ctid::text::point)[0] as page
                           from users where org_id = 'o' order by (ctid::text::point)[0], id) p
          order by page limit 80`,
      )
    ).map((r) => r.id);
    assert.equal(users.length, 80, "80 pages of users");
    // Their messages as a claim leaves them (the claim itself is the second half of the test).
    const sending = await db.query<{ id: string; attempts: number }>(
      "update outbox set status = 'sending', attempts = attempts + 1 where user_id = any($1) returning id, attempts",
      [users],
    );
    const pages = async () =>
      new Map(
        (
          await db.query<{ id: string; page: number }>(
            "select id, (ctid::text::point)[0]::int as page from users where org_id = 'o' and id = any($1)",
            [users],
          )
        ).map((r) => [r.id, r.page]),
      );
    const before = await pages();
    // Recorded as the worker does, a batch per statement.
    for (let i = 0; i < sending.length; i += 8)
      await outboxQueries(db).recordSentMany(
        sending
          .slice(i, i + 8)
          .map((m) => ({ id: m.id, claim: m.attempts, at, sentEvent: "user.human.invite.code.sent" })),
        "smtp",
      );
    const after = await pages();
    const [moved] = await db.query<{ n: number }>(
      "select count(*)::int as n from users where org_id = 'o' and id = any($1) and sequence = 2",
      [users],
    );
    assert.equal(moved?.n, 80, "each recorded user's sequence moved on");
    const stayed = users.filter((id) => before.get(id) === after.get(id)).length;
    // With the default fill factor (no room kept) none of the 80 stays, on PostgreSQL 15 and 18.
    assert.ok(stayed >= 76, `only ${stayed} of 80 users stayed on their page when their sequence moved on`);

    await db.transaction(async (tx) => {
      const q = outboxQueries(tx);
      const lease = new Date(at.getTime() + 60_000);
      // PostgreSQL compares generic and custom plans after five executions of a statement.
      let claimed = 0;
      for (let i = 0; i < 10; i++) claimed += (await q.claimDue(at, lease, 8)).length;
      assert.equal(claimed, 80);
      const [plans] = await tx.query<{ generic: number; custom: number }>(
        `select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
          where statement like 'with claimed as%'`,
      );
      assert.ok(plans, "the claim ran as a prepared statement");
      assert.ok(
        plans.generic > 0,
        `the claim was planned anew on every call (${plans.custom} custom plans, no generic one)`,
      );
    });
  } finally {
    await db.close();
    await shared.drop();
  }
});
