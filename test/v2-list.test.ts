import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code } from "@connectrpc/connect";
import { UserState } from "../src/domain/user.ts";
import { rest, userClient } from "./helpers/clients.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import {
  assertRestError,
  assertRpcError,
  forceState,
  grant,
  newOrg,
  type Person,
  person,
} from "./helpers/v2-people.ts";

let t: TestApp;
let orgA: string;
let orgB: string;
/** Users of org A by nickname: their names exercise the text methods. */
const a: Record<string, Person> = {};
let b: Person;

const PEOPLE: Array<[nick: string, given: string, family: string]> = [
  ["ann", "Ann", "Archer"],
  ["bob", "Bob", "Baker"],
  ["cy", "Cyrus", "Carter"],
  ["pct", "50%_off", "Wild"],
  ["plain", "50xxoff", "Wild"],
];

before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  orgA = await newOrg(t.app.db);
  orgB = await newOrg(t.app.db);
  for (const [nick, given, family] of PEOPLE) {
    a[nick] = await person(t, { profile: { givenName: given, familyName: family, nickName: nick } }, orgA);
  }
  b = await person(t, {}, orgB);
  await forceState(t.app.db, (a.cy as Person).userId, UserState.Locked);
});
after(async () => {
  await t?.stop();
});

type Listed = { userId: string; username: string; state: string; human?: { profile: { nickName?: string } } };
async function list(
  body: Record<string, unknown>,
  token = t.adminToken,
): Promise<{ total: number; nicks: string[]; users: Listed[] }> {
  const res = await rest(t.baseUrl, "POST", "/v2/users", { token, body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const users = (res.body.result ?? []) as Listed[];
  const total = Number((res.body.details as { totalResult?: string }).totalResult ?? 0);
  return { total, users, nicks: users.map((u) => u.human?.profile.nickName ?? u.username) };
}
const inOrgA = () => ({ organizationIdQuery: { organizationId: orgA } });
const text = (key: string, field: string, value: string, method: string) => ({
  [key]: { [field]: value, method },
});
const nicksWhere = async (...queries: unknown[]) =>
  (
    await list({
      queries: [inOrgA(), ...queries],
      sortingColumn: "USER_FIELD_NAME_NICK_NAME",
      query: { asc: true },
    })
  ).nicks;

describe("ListUsers filters (§6.3)", () => {
  test("text methods, with LIKE wildcards taken literally", async () => {
    const q = (value: string, method: string) => text("firstNameQuery", "firstName", value, method);
    assert.deepEqual(await nicksWhere(q("Ann", "TEXT_QUERY_METHOD_EQUALS")), ["ann"]);
    assert.deepEqual(await nicksWhere(q("ann", "TEXT_QUERY_METHOD_EQUALS")), []);
    assert.deepEqual(await nicksWhere(q("ann", "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE")), ["ann"]);
    assert.deepEqual(await nicksWhere(q("Cy", "TEXT_QUERY_METHOD_STARTS_WITH")), ["cy"]);
    assert.deepEqual(await nicksWhere(q("cy", "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE")), ["cy"]);
    assert.deepEqual(await nicksWhere(q("o", "TEXT_QUERY_METHOD_CONTAINS")), ["bob", "pct", "plain"]);
    assert.deepEqual(await nicksWhere(q("O", "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE")), [
      "bob",
      "pct",
      "plain",
    ]);
    assert.deepEqual(await nicksWhere(q("rus", "TEXT_QUERY_METHOD_ENDS_WITH")), ["cy"]);
    assert.deepEqual(await nicksWhere(q("RUS", "TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE")), ["cy"]);
    assert.deepEqual(await nicksWhere(q("%_", "TEXT_QUERY_METHOD_CONTAINS")), ["pct"], "% and _ are literal");
    assert.deepEqual(await nicksWhere(q("50%", "TEXT_QUERY_METHOD_STARTS_WITH")), ["pct"]);
    assert.deepEqual(await nicksWhere(q("\\", "TEXT_QUERY_METHOD_CONTAINS")), []);
  });

  test("every field", async () => {
    const ann = a.ann as Person;
    assert.deepEqual(
      await nicksWhere(text("lastNameQuery", "lastName", "Wild", "TEXT_QUERY_METHOD_EQUALS")),
      ["pct", "plain"],
    );
    assert.deepEqual(
      await nicksWhere(text("nickNameQuery", "nickName", "b", "TEXT_QUERY_METHOD_STARTS_WITH")),
      ["bob"],
    );
    assert.deepEqual(
      await nicksWhere(text("displayNameQuery", "displayName", "Bob Baker", "TEXT_QUERY_METHOD_EQUALS")),
      ["bob"],
    );
    assert.deepEqual(
      await nicksWhere(
        text("emailQuery", "emailAddress", ann.email.toUpperCase(), "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE"),
      ),
      ["ann"],
    );
    assert.deepEqual(
      await nicksWhere(text("emailQuery", "emailAddress", ann.email, "TEXT_QUERY_METHOD_EQUALS")),
      ["ann"],
    );
    assert.deepEqual(
      await nicksWhere(
        text("userNameQuery", "userName", ann.email.slice(0, 8), "TEXT_QUERY_METHOD_STARTS_WITH"),
      ),
      ["ann"],
    );
    assert.deepEqual(
      await nicksWhere(text("loginNameQuery", "loginName", ann.email, "TEXT_QUERY_METHOD_EQUALS")),
      ["ann"],
    );
    assert.deepEqual(await nicksWhere({ stateQuery: { state: "USER_STATE_LOCKED" } }), ["cy"]);
    assert.deepEqual(await nicksWhere({ stateQuery: { state: "USER_STATE_INITIAL" } }), []);
    assert.deepEqual((await nicksWhere({ typeQuery: { type: "TYPE_HUMAN" } })).length, 5);
    assert.deepEqual(await nicksWhere({ typeQuery: { type: "TYPE_MACHINE" } }), []);
    const ids = [ann.userId, (a.bob as Person).userId, b.userId];
    assert.deepEqual(await nicksWhere({ inUserIdsQuery: { userIds: ids } }), ["ann", "bob"]);
    assert.deepEqual(await nicksWhere({ inUserEmailsQuery: { userEmails: [ann.email.toUpperCase()] } }), [
      "ann",
    ]);
    const both = await list({ queries: [{ inUserIdsQuery: { userIds: ids } }] });
    assert.equal(both.total, 3, "without an org filter both organizations count");
  });

  test("and / or / not nesting, and ZITADEL's depth limit", async () => {
    const first = (v: string) => text("firstNameQuery", "firstName", v, "TEXT_QUERY_METHOD_EQUALS");
    const or = { orQuery: { queries: [first("Ann"), first("Bob"), first("Cyrus")] } };
    const not = { notQuery: { query: { stateQuery: { state: "USER_STATE_LOCKED" } } } };
    assert.deepEqual(await nicksWhere({ andQuery: { queries: [or, not] } }), ["ann", "bob"]);
    assert.deepEqual(await nicksWhere({ orQuery: { queries: [] } }), []);
    assert.equal((await nicksWhere({ andQuery: { queries: [] } })).length, 5);
    let deep: Record<string, unknown> = first("Ann");
    for (let i = 0; i < 20; i++) deep = { notQuery: { query: { notQuery: { query: deep } } } };
    const res = await rest(t.baseUrl, "POST", "/v2/users", {
      token: t.adminToken,
      body: { queries: [deep] },
    });
    assertRestError(res, 400, 3, "Errors.Query.TooManyNestingLevels", "USER-zsQ97");
  });
});

describe("ListUsers sorting and paging", () => {
  test("sort columns both ways; default is the id, descending", async () => {
    const sorted = async (col: string, asc: boolean) =>
      (await list({ queries: [inOrgA()], sortingColumn: col, query: { asc } })).nicks;
    assert.deepEqual(await sorted("USER_FIELD_NAME_FIRST_NAME", true), ["pct", "plain", "ann", "bob", "cy"]);
    assert.deepEqual(await sorted("USER_FIELD_NAME_LAST_NAME", false), ["plain", "pct", "cy", "bob", "ann"]);
    assert.deepEqual(await sorted("USER_FIELD_NAME_CREATION_DATE", true), [
      "ann",
      "bob",
      "cy",
      "pct",
      "plain",
    ]);
    assert.deepEqual((await sorted("USER_FIELD_NAME_STATE", false))[0], "cy");
    assert.deepEqual(await sorted("USER_FIELD_NAME_UNSPECIFIED", false), [
      "plain",
      "pct",
      "cy",
      "bob",
      "ann",
    ]);
    for (const col of ["USER_NAME", "NICK_NAME", "DISPLAY_NAME", "EMAIL", "TYPE"]) {
      assert.equal((await sorted(`USER_FIELD_NAME_${col}`, true)).length, 5, col);
    }
  });

  test("offset and limit page through; totalResult counts all matches", async () => {
    const page = (offset: number, limit: number) =>
      list({
        queries: [inOrgA()],
        sortingColumn: "USER_FIELD_NAME_NICK_NAME",
        query: { offset: String(offset), limit, asc: true },
      });
    const first = await page(0, 2);
    const second = await page(2, 2);
    const third = await page(4, 2);
    assert.deepEqual([first.nicks, second.nicks, third.nicks], [["ann", "bob"], ["cy", "pct"], ["plain"]]);
    assert.deepEqual([first.total, second.total, third.total], [5, 5, 5]);
    assert.equal((await page(0, 0)).nicks.length, 5, "limit 0 means no limit");
  });
});

describe("ListUsers permissions", () => {
  test("rows are limited to organizations with user.read, plus the caller itself", async () => {
    const viewer = await person(t, {}, orgB);
    await grant(t.app.db, orgA, viewer.userId, ["ORG_USER_VIEWER"]);
    const seen = await list(
      { queries: [{ inUserIdsQuery: { userIds: [(a.ann as Person).userId, b.userId, viewer.userId] } }] },
      viewer.token,
    );
    assert.deepEqual(
      new Set(seen.users.map((u) => u.userId)),
      new Set([(a.ann as Person).userId, viewer.userId]),
    );
    assert.equal(seen.total, 2);
    const loner = await person(t, {}, orgB);
    const alone = await list({}, loner.token);
    assert.deepEqual(
      alone.users.map((u) => u.userId),
      [loner.userId],
    );
    const admin = await list({ queries: [{ inUserIdsQuery: { userIds: [b.userId, loner.userId] } }] });
    assert.equal(admin.total, 2, "instance roles read every organization");
  });

  test("over gRPC with the official client, and its validation", async () => {
    const client = userClient("grpc", t.baseUrl, t.adminToken);
    const res = await client.listUsers({
      queries: [{ query: { case: "organizationIdQuery", value: { organizationId: orgA } } }],
    });
    assert.equal(res.details?.totalResult, 5n);
    assert.equal(res.result.length, 5);
    const err = await client.listUsers({ queries: [{ query: { case: undefined } }] }).catch((e) => e);
    assert.equal(err.code, Code.InvalidArgument);
    let deep = { query: { case: "stateQuery" as const, value: { state: 1 } } } as never;
    for (let i = 0; i < 22; i++) deep = { query: { case: "notQuery", value: { query: deep } } } as never;
    await assertRpcError(
      client.listUsers({ queries: [deep] }),
      Code.InvalidArgument,
      "Errors.Query.TooManyNestingLevels",
      "USER-zsQ97",
    );
  });
});
