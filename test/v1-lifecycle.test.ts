import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { UserState } from "../src/domain/user.ts";
import {
  assertV1Error,
  callV1,
  okJson,
  V1_SURFACES,
  type V1Call,
  type V1Surface,
} from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { adminUserId, eventTypes, forceState, newOrg, person } from "./helpers/v2-people.ts";

let t: TestApp;
let machineId: string;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  machineId = await adminUserId(t);
});
after(async () => {
  await t?.stop();
});

const v1 = (surface: V1Surface, call: V1Call) => callV1(surface, t.baseUrl, t.adminToken, undefined, call);
const byId = (method: string, id: string, suffix: string): V1Call => ({
  method,
  request: { id },
  rest: suffix
    ? ["POST", `/users/${id}/${suffix}`, {}]
    : [method === "getUserByID" ? "GET" : "DELETE", `/users/${id}`],
});

const { Initial, Active, Inactive, Locked } = UserState;
const WIRE: Record<number, string> = {
  [Initial]: "USER_STATE_INITIAL",
  [Active]: "USER_STATE_ACTIVE",
  [Inactive]: "USER_STATE_INACTIVE",
  [Locked]: "USER_STATE_LOCKED",
};
type Outcome = number | { status: number; code: number; id: string; text: string };
const refused = (id: string, text: string): Outcome => ({ status: 400, code: 9, id, text });

/** Spec §4.3 and §5.8: each v1 state call from each state, with v1's ids. */
const TABLE: Record<string, { method: string; notFound: string; from: Record<number, Outcome> }> = {
  _deactivate: {
    method: "deactivateUser",
    notFound: "COMMAND-3M9ds",
    from: {
      [Initial]: {
        status: 404,
        code: 5,
        id: "COMMAND-ke0fw",
        text: "User with state initial can only be deleted not deactivated",
      },
      [Active]: Inactive,
      [Inactive]: refused("COMMAND-5M0sf", "User already inactive"),
      [Locked]: Inactive,
    },
  },
  _reactivate: {
    method: "reactivateUser",
    notFound: "COMMAND-4M0sd",
    from: {
      [Initial]: refused("COMMAND-6M0sf", "User is not inactive"),
      [Active]: refused("COMMAND-6M0sf", "User is not inactive"),
      [Inactive]: Active,
      [Locked]: refused("COMMAND-6M0sf", "User is not inactive"),
    },
  },
  _lock: {
    method: "lockUser",
    notFound: "COMMAND-5M9fs",
    from: {
      [Initial]: Locked,
      [Active]: Locked,
      [Inactive]: refused("COMMAND-3NN8v", "User is not active or initial"),
      [Locked]: refused("COMMAND-3NN8v", "User is not active or initial"),
    },
  },
  _unlock: {
    method: "unlockUser",
    notFound: "COMMAND-M0dos",
    from: {
      [Initial]: refused("COMMAND-4M0ds", "User is not locked"),
      [Active]: refused("COMMAND-4M0ds", "User is not locked"),
      [Inactive]: refused("COMMAND-4M0ds", "User is not locked"),
      [Locked]: Active,
    },
  },
};

const stateOf = async (surface: V1Surface, id: string) =>
  (okJson(await v1(surface, byId("getUserByID", id, ""))).user as { state: string }).state;

describe("v1 state calls (spec §5.8)", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: every call from every state`, async () => {
      for (const [suffix, row] of Object.entries(TABLE)) {
        for (const [from, outcome] of Object.entries(row.from)) {
          const p = await person(t);
          await forceState(t.app.db, p.userId, Number(from));
          const answer = await v1(surface, byId(row.method, p.userId, suffix));
          if (typeof outcome === "number") {
            const details = okJson(answer).details as Record<string, unknown>;
            assert.deepEqual(Object.keys(details).sort(), ["changeDate", "resourceOwner", "sequence"]);
            assert.equal(
              await stateOf(surface, p.userId),
              WIRE[outcome],
              `${row.method} from ${WIRE[Number(from)]}`,
            );
          } else {
            assertV1Error(answer, outcome.status, outcome.code, outcome.text, outcome.id);
            assert.equal(await stateOf(surface, p.userId), WIRE[Number(from)]);
          }
        }
        // Service accounts are users here: test/service-account-lifecycle.test.ts.
        for (const id of [unique("nobody")]) {
          assertV1Error(
            await v1(surface, byId(row.method, id, suffix)),
            404,
            5,
            "User could not be found",
            row.notFound,
          );
        }
      }
    });

    test(`${surface}: RemoveUser removes users in any state; unknown ones are not found`, async () => {
      for (const state of [Initial, Active, Inactive, Locked]) {
        const p = await person(t);
        await forceState(t.app.db, p.userId, state);
        okJson(await v1(surface, byId("removeUser", p.userId, "")));
        assert.equal((await eventTypes(t, p.userId)).at(-1), "user.removed");
        const gone = await v1(surface, byId("getUserByID", p.userId, ""));
        assertV1Error(gone, 404, 5, "User could not be found", "QUERY-Dfbg2");
        assertV1Error(
          await v1(surface, byId("removeUser", p.userId, "")),
          404,
          5,
          "User could not be found",
          "COMMAND-m9od",
        );
        await person(t, { username: p.email });
      }
    });
  }
});

describe("v1 GetUserByID (spec §5.7)", () => {
  test("the same user on every surface, in protobuf JSON with ZITADEL's zero-value omissions", async () => {
    const p = await person(t, {
      profile: { givenName: "Ada", familyName: "Lovelace", nickName: "Countess" },
    });
    const answers = [];
    for (const surface of V1_SURFACES)
      answers.push(okJson(await v1(surface, byId("getUserByID", p.userId, ""))));
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
    const user = answers[0]?.user as Record<string, unknown>;
    const details = user.details as Record<string, unknown>;
    assert.deepEqual(Object.keys(details).sort(), [
      "changeDate",
      "creationDate",
      "resourceOwner",
      "sequence",
    ]);
    assert.deepEqual(
      { ...user, details: undefined },
      {
        id: p.userId,
        details: undefined,
        state: "USER_STATE_ACTIVE",
        userName: p.email,
        loginNames: [p.email],
        preferredLoginName: p.email,
        human: {
          profile: {
            firstName: "Ada",
            lastName: "Lovelace",
            nickName: "Countess",
            displayName: "Ada Lovelace",
            preferredLanguage: "und",
          },
          email: { email: p.email },
          phone: {},
        },
      },
    );
    const machine = okJson(await v1("rest", byId("getUserByID", machineId, ""))).user as Record<
      string,
      unknown
    >;
    assert.ok(machine.machine && !machine.human);
  });

  test("unknown → QUERY-Dfbg2; another organization's user → MANAG-fpo4B", async () => {
    const other = await newOrg(t.app.db);
    const stranger = await person(t, {}, other);
    for (const surface of V1_SURFACES) {
      const unknown = await v1(surface, byId("getUserByID", unique("nobody"), ""));
      assertV1Error(unknown, 404, 5, "User could not be found", "QUERY-Dfbg2");
      const elsewhere = await v1(surface, byId("getUserByID", stranger.userId, ""));
      assertV1Error(elsewhere, 404, 5, "User could not be found", "MANAG-fpo4B");
      const named = await callV1(
        surface,
        t.baseUrl,
        t.adminToken,
        other,
        byId("getUserByID", stranger.userId, ""),
      );
      assert.equal(
        (okJson(named).user as { id: string }).id,
        stranger.userId,
        "x-zitadel-orgid selects the organization",
      );
    }
  });
});
