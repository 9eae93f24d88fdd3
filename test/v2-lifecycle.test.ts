import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code } from "@connectrpc/connect";
import { UserState } from "../src/domain/user.ts";
import { rest, userClient } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import {
  assertRestError,
  assertRpcError,
  eventTypes,
  forceState,
  grant,
  person,
} from "./helpers/v2-people.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
});
after(async () => {
  await t?.stop();
});

const { Initial, Active, Inactive, Locked } = UserState;
const NAMES: Record<number, string> = {
  [Initial]: "INITIAL",
  [Active]: "ACTIVE",
  [Inactive]: "INACTIVE",
  [Locked]: "LOCKED",
};
const WIRE: Record<number, string> = {
  [Initial]: "USER_STATE_INITIAL",
  [Active]: "USER_STATE_ACTIVE",
  [Inactive]: "USER_STATE_INACTIVE",
  [Locked]: "USER_STATE_LOCKED",
};

type Outcome = { to: number; event: string } | { id: string; key: string };
const refused = (id: string, key: string): Outcome => ({ id, key });

/** Spec §4.3 and §6.12: every state endpoint from every state. */
const TABLE: Record<string, { notFound: string; from: Record<number, Outcome> }> = {
  deactivate: {
    notFound: "COMMAND-5gp2p62iin",
    from: {
      [Initial]: refused("COMMAND-gvx4kct9r2", "User with state initial can only be deleted not deactivated"),
      [Active]: { to: Inactive, event: "user.deactivated" },
      [Inactive]: refused("COMMAND-5gunjw0cd7", "User already inactive"),
      [Locked]: { to: Inactive, event: "user.deactivated" },
    },
  },
  reactivate: {
    notFound: "COMMAND-9hy5kzbuk6",
    from: {
      [Initial]: refused("COMMAND-s5qqcz97hf", "User is not inactive"),
      [Active]: refused("COMMAND-s5qqcz97hf", "User is not inactive"),
      [Inactive]: { to: Active, event: "user.reactivated" },
      [Locked]: refused("COMMAND-s5qqcz97hf", "User is not inactive"),
    },
  },
  lock: {
    notFound: "COMMAND-450yxuqrh1",
    from: {
      [Initial]: { to: Locked, event: "user.locked" },
      [Active]: { to: Locked, event: "user.locked" },
      [Inactive]: refused("COMMAND-lgws8wtsqf", "User is not active or initial"),
      [Locked]: refused("COMMAND-lgws8wtsqf", "User is not active or initial"),
    },
  },
  unlock: {
    notFound: "COMMAND-x377t913pw",
    from: {
      [Initial]: refused("COMMAND-olb9vb0oca", "User is not locked"),
      [Active]: refused("COMMAND-olb9vb0oca", "User is not locked"),
      [Inactive]: refused("COMMAND-olb9vb0oca", "User is not locked"),
      [Locked]: { to: Active, event: "user.unlocked" },
    },
  },
};

const stateOf = async (id: string) =>
  ((await rest(t.baseUrl, "GET", `/v2/users/${id}`, { token: t.adminToken })).body.user as { state: string })
    .state;

describe("state machine (§4.3)", () => {
  for (const [op, row] of Object.entries(TABLE)) {
    for (const [from, outcome] of Object.entries(row.from)) {
      test(`${op} from ${NAMES[Number(from)]}`, async () => {
        const p = await person(t);
        await forceState(t.app.db, p.userId, Number(from));
        const bystander = await person(t);
        const call = (token: string) =>
          rest(t.baseUrl, "POST", `/v2/users/${p.userId}/${op}`, { token, body: {} });
        if ("to" in outcome) {
          // The state allows it, so the permission decides: a caller without roles is refused.
          assertRestError(await call(bystander.token), 404, 5, "membership not found", "AUTHZ-cdgFk");
          assert.equal(await stateOf(p.userId), WIRE[Number(from)]);
          const res = await call(t.adminToken);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.equal(await stateOf(p.userId), WIRE[outcome.to]);
          assert.equal((await eventTypes(t, p.userId)).at(-1), outcome.event);
        } else {
          const res = await call(t.adminToken);
          assertRestError(res, 400, 9, outcome.key, outcome.id);
          assert.equal(await stateOf(p.userId), WIRE[Number(from)]);
          // State first: even a caller without any role gets the state error.
          assertRestError(await call(bystander.token), 400, 9, outcome.key, outcome.id);
        }
      });
    }
    // Service accounts are users here: test/service-account-lifecycle.test.ts.
    test(`${op}: unknown user → NOT_FOUND ${row.notFound}`, async () => {
      for (const id of [unique("nobody")]) {
        const res = await rest(t.baseUrl, "POST", `/v2/users/${id}/${op}`, { token: t.adminToken, body: {} });
        assertRestError(res, 404, 5, "User could not be found", row.notFound);
      }
    });
  }

  test("permission after state: user.write, no self-service", async () => {
    const p = await person(t);
    const client = (token: string) => userClient("connect", t.baseUrl, token);
    await assertRpcError(
      client(p.token).lockUser({ userId: p.userId }),
      Code.NotFound,
      "membership not found",
      "AUTHZ-cdgFk",
    );
    const viewer = await person(t);
    await grant(t.app.db, t.defaultOrgId, viewer.userId, ["ORG_USER_VIEWER"]);
    await assertRpcError(
      client(viewer.token).lockUser({ userId: p.userId }),
      Code.PermissionDenied,
      "No matching permissions found",
      "AUTH-AWfge",
    );
    assert.equal(await stateOf(p.userId), "USER_STATE_ACTIVE", "a denied call changes nothing");
    const manager = await person(t);
    await grant(t.app.db, t.defaultOrgId, manager.userId, ["ORG_USER_MANAGER"]);
    await client(manager.token).lockUser({ userId: p.userId });
    assert.equal(await stateOf(p.userId), "USER_STATE_LOCKED");
    const locked = await rest(t.baseUrl, "GET", `/v2/users/${p.userId}`, { token: p.token });
    assertRestError(locked, 401, 16, "Errors.Token.Invalid", "AUTH-7fs1e");
  });

  test("unlock after locking an INITIAL user makes it ACTIVE", async () => {
    const p = await person(t);
    await forceState(t.app.db, p.userId, Initial);
    const client = userClient("grpc-web", t.baseUrl, t.adminToken);
    await client.lockUser({ userId: p.userId });
    await client.unlockUser({ userId: p.userId });
    assert.equal(await stateOf(p.userId), "USER_STATE_ACTIVE");
  });
});

describe("DeleteUser (§6.12)", () => {
  test("removes the user, its codes, tokens and undelivered mail; frees the username", async () => {
    const p = await person(t);
    await t.app.worker.stop();
    try {
      const sent = await rest(t.baseUrl, "POST", `/v2/users/${p.userId}/email/send`, {
        token: t.adminToken,
        body: {},
      });
      assert.equal(sent.status, 200);
      const res = await rest(t.baseUrl, "DELETE", `/v2/users/${p.userId}`, { token: t.adminToken });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const outbox = await t.app.db.query<{ status: string; secret: string | null }>(
        "select status, secret from outbox where user_id = $1",
        [p.userId],
      );
      assert.deepEqual(outbox, [{ status: "cancelled", secret: null }]);
    } finally {
      await t.app.worker.start();
    }
    assert.deepEqual(await t.app.db.query("select * from user_codes where user_id = $1", [p.userId]), []);
    assert.equal((await eventTypes(t, p.userId)).at(-1), "user.removed");
    assertRestError(
      await rest(t.baseUrl, "GET", `/v2/users/${p.userId}`, { token: t.adminToken }),
      404,
      5,
      "User could not be found",
      "QUERY-Dfbg2",
    );
    assertRestError(
      await rest(t.baseUrl, "GET", `/v2/users/${p.userId}`, { token: p.token }),
      401,
      16,
      "Errors.Token.Invalid",
      "AUTH-7fs1e",
    );
    const again = await rest(t.baseUrl, "DELETE", `/v2/users/${p.userId}`, { token: t.adminToken });
    assertRestError(again, 404, 5, "User could not be found", "COMMAND-bd4ir1mblj");
    const reused = await person(t, { username: p.email });
    assert.notEqual(reused.userId, p.userId);
  });

  test("permission: user.delete, or user.self.delete for oneself; any state", async () => {
    const target = await person(t);
    const stranger = await person(t);
    const viewer = await person(t);
    await grant(t.app.db, t.defaultOrgId, viewer.userId, ["ORG_USER_VIEWER"]);
    const del = (id: string, token: string) => rest(t.baseUrl, "DELETE", `/v2/users/${id}`, { token });
    assertRestError(await del(target.userId, stranger.token), 404, 5, "membership not found", "AUTHZ-cdgFk");
    assertRestError(
      await del(target.userId, viewer.token),
      403,
      7,
      "No matching permissions found",
      "AUTH-AWfge",
    );
    assert.equal(await stateOf(target.userId), "USER_STATE_ACTIVE", "a denied delete changes nothing");
    assert.equal((await del(stranger.userId, stranger.token)).status, 200, "self-delete");
    for (const state of [Initial, Inactive, Locked]) {
      const p = await person(t);
      await forceState(t.app.db, p.userId, state);
      assert.equal((await del(p.userId, t.adminToken)).status, 200);
    }
    assertRestError(
      await del(unique("nobody"), t.adminToken),
      404,
      5,
      "User could not be found",
      "COMMAND-bd4ir1mblj",
    );
  });
});
