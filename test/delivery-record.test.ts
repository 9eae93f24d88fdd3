import assert from "node:assert/strict";
import { test } from "node:test";
import type { CodeKind } from "../src/domain/code-kind.ts";
import { uuidv7 } from "../src/domain/ids.ts";
import { enqueueMessages } from "../src/outbox/enqueue.ts";
import type { MessageType } from "../src/outbox/message.ts";
import { outboxQueries } from "../src/queries/outbox.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";

test("sent messages recorded in one statement: each user's events in sequence, codes counted, fenced by the claim", async () => {
  const shared = await sharedDatabase();
  const db = await shared.open();
  try {
    const at = new Date();
    await db.query("insert into organizations (id, name, primary_domain) values ('o', 'O', 'o.example')");
    for (const [id, sequence] of [
      ["ada", 3],
      ["bob", 7],
      ["cy", 1],
    ] as const) {
      await db.query(
        `insert into users (org_id, id, type, state, username, sequence, created_at, updated_at)
         values ('o', $1, 'human', 1, $1, $2, $3, $3)`,
        [id, sequence, at],
      );
    }
    for (const [user, kind] of [
      ["ada", "invite"],
      ["ada", "email"],
      ["bob", "invite"],
    ] as const) {
      await db.query(
        "insert into user_codes (org_id, user_id, kind, created_at, expires_at) values ('o', $1, $2, $3, $3)",
        [user, kind, at],
      );
    }
    const message = (userId: string, type: MessageType, codeKind: CodeKind | null) => ({
      id: uuidv7(),
      at,
      message: {
        orgId: "o",
        userId,
        type,
        codeKind,
        recipient: `${userId}@example.com`,
        payload: {
          userId,
          orgId: "o",
          username: userId,
          displayName: userId,
          givenName: userId,
          preferredLanguage: "en",
        },
        secret: null,
        expiresAt: new Date(at.getTime() + 3_600_000),
      },
    });
    const batch = [
      message("ada", "InviteUser", "invite"),
      message("ada", "VerifyEmail", "email"),
      message("bob", "InviteUser", "invite"),
      message("cy", "InviteUser", null),
    ];
    await enqueueMessages(db, batch);
    const q = outboxQueries(db);
    const claimed = await q.claimDue(at, new Date(at.getTime() + 10_000), 10);
    assert.equal(claimed.length, 4, "all four claimed (one per user and type)");
    const claimOf = (id: string) => claimed.find((m) => m.id === id)?.attempts ?? 0;
    const [adaInvite, adaEmail, bobInvite, cyInvite] = batch.map((b) => b.id) as [
      string,
      string,
      string,
      string,
    ];

    const ours = await q.recordSentMany(
      [
        { id: adaInvite, claim: claimOf(adaInvite), at, sentEvent: "user.human.invite.code.sent" },
        { id: adaEmail, claim: claimOf(adaEmail), at, sentEvent: "user.human.email.code.sent" },
        { id: bobInvite, claim: claimOf(bobInvite), at, sentEvent: "user.human.invite.code.sent" },
        // A claim another process took over meanwhile: not ours to record.
        { id: cyInvite, claim: claimOf(cyInvite) + 1, at },
      ],
      "smtp",
    );

    assert.deepEqual([...ours].sort(), [adaInvite, adaEmail, bobInvite].sort());
    const statuses = await db.query<{ id: string; status: string }>("select id, status from outbox");
    assert.deepEqual(Object.fromEntries(statuses.map((r) => [r.id, r.status])), {
      [adaInvite]: "sent",
      [adaEmail]: "sent",
      [bobInvite]: "sent",
      [cyInvite]: "sending",
    });
    const users = await db.query<{ id: string; sequence: number }>(
      "select id, sequence from users order by id",
    );
    assert.deepEqual(
      users.map((u) => [u.id, u.sequence]),
      [
        ["ada", 5],
        ["bob", 8],
        ["cy", 1],
      ],
    );
    const events = await db.query<{ aggregate_id: string; sequence: number; type: string }>(
      "select aggregate_id, sequence, type from events order by aggregate_id, sequence",
    );
    assert.deepEqual(
      events.map((e) => [e.aggregate_id, e.sequence]),
      [
        ["ada", 4],
        ["ada", 5],
        ["bob", 8],
      ],
    );
    assert.deepEqual(events.map((e) => e.type).sort(), [
      "user.human.email.code.sent",
      "user.human.invite.code.sent",
      "user.human.invite.code.sent",
    ]);
    const counts = await db.query<{ user_id: string; kind: string; send_count: number }>(
      "select user_id, kind, send_count from user_codes order by user_id, kind",
    );
    assert.deepEqual(
      counts.map((c) => [c.user_id, c.kind, c.send_count]),
      [
        ["ada", "email", 1],
        ["ada", "invite", 1],
        ["bob", "invite", 1],
      ],
    );
  } finally {
    await db.close();
    await shared.drop();
  }
});
