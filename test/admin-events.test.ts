import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ListEventsRequestSchema } from "@zitadel/proto/zitadel/admin_pb.js";
import type { Event } from "@zitadel/proto/zitadel/event_pb.js";
import pg from "pg";
import { adminClient, rest } from "./helpers/clients.ts";
import { tenantWithServiceAccount } from "./helpers/tenants.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

/** An event as REST shows it. */
interface JsonEvent {
  sequence: string;
  creationDate: string;
  type: { type: string; localized: unknown };
  aggregate: unknown;
  editor: { userId: string; displayName: string; service: string };
  payload: Record<string, unknown>;
}

let t: TestApp;
/** A person created with a returned email code, then (a minute later) a second person. */
let first: { userId: string; code: string; createdAt: Date };
let second: { userId: string };
let tenant: Awaited<ReturnType<typeof tenantWithServiceAccount>>;
/** A person the tenant's machine user created. */
let tenantUser: { userId: string };

const grpc = () => adminClient("grpc", t.baseUrl, t.adminToken);
const list = async (req: MessageInitShape<typeof ListEventsRequestSchema>) =>
  (await grpc().listEvents(req)).events;
const seqs = (events: Event[]) => events.map((e) => Number(e.sequence));

before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  const created = await createUser(t.baseUrl, t.adminToken);
  const sent = await rest(t.baseUrl, "POST", `/v2/users/${created.userId}/email/send`, {
    token: t.adminToken,
    body: { returnCode: {} },
  });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  first = { userId: created.userId, code: sent.body.verificationCode as string, createdAt: new Date() };
  t.advance(60_000);
  second = await createUser(t.baseUrl, t.adminToken);
  tenant = await tenantWithServiceAccount(t, "ORG_OWNER");
  tenantUser = await createUser(t.baseUrl, tenant.token);
  // Events show once no older transaction of the server is open (another database's too).
  for (let i = 0; i < 100 && (await list({ aggregateId: tenantUser.userId })).length === 0; i++)
    await sleep(100);
});
after(async () => {
  await t?.stop();
});

describe("AdminService.ListEvents", () => {
  test("REST: an aggregate's events oldest first, in ZITADEL's shape", async () => {
    const res = await rest(t.baseUrl, "POST", "/admin/v1/events/_search", {
      token: t.adminToken,
      body: { aggregateId: first.userId, asc: true },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const events = res.body.events as JsonEvent[];
    assert.deepEqual(
      events.map((e) => [e.sequence, e.type.type]),
      [
        ["1", "user.human.added"],
        ["2", "user.human.email.code.added"],
      ],
    );
    const added = events[0] as JsonEvent;
    assert.deepEqual(added.aggregate, {
      id: first.userId,
      type: { type: "user", localized: { key: "AggregateTypes.user", localizedMessage: "User" } },
      resourceOwner: t.defaultOrgId,
    });
    assert.deepEqual(added.type.localized, {
      key: "EventTypes.user.human.added",
      localizedMessage: "A person was created.",
    });
    assert.equal(added.editor.service, "zitadel");
    assert.ok(added.editor.userId, "the editor is the caller");
    assert.equal(added.payload.firstName, "Ada");
    assert.ok(Date.parse(added.creationDate) <= first.createdAt.getTime() + 1000);
  });

  test("each filter: event types, aggregate types, resource owner, editor (with its name), aggregate id", async () => {
    const types = await list({ aggregateId: first.userId, eventTypes: ["user.human.email.code.added"] });
    assert.deepEqual(
      types.map((e) => e.type?.type),
      ["user.human.email.code.added"],
    );
    const orgs = await list({ aggregateTypes: ["org"] });
    assert.ok(orgs.length > 0);
    assert.ok(orgs.every((e) => e.aggregate?.type?.type === "org"));
    assert.ok(orgs.some((e) => e.aggregate?.id === tenant.orgId));
    const owned = await list({ resourceOwner: tenant.orgId });
    assert.ok(owned.some((e) => e.aggregate?.id === tenant.machineId));
    assert.ok(owned.every((e) => e.aggregate?.resourceOwner === tenant.orgId));
    const editor = (await list({ aggregateId: first.userId }))[0]?.editor?.userId ?? "";
    const byEditor = await list({ editorUserId: editor });
    assert.ok(byEditor.some((e) => e.aggregate?.id === second.userId));
    assert.ok(byEditor.every((e) => e.editor?.userId === editor));
    assert.deepEqual(await list({ editorUserId: unique("nobody") }), []);
    const byMachine = await list({ aggregateId: tenantUser.userId });
    assert.deepEqual(byMachine[0]?.editor, {
      $typeName: "zitadel.event.v1.Editor",
      userId: tenant.machineId,
      displayName: "Onboarding bot",
      service: "zitadel",
    });
    const one = await list({ aggregateId: second.userId });
    assert.ok(one.length > 0 && one.every((e) => e.aggregate?.id === second.userId));
  });

  test("paging: newest first by default, limit, sequence and asc", async () => {
    const all = await list({});
    assert.ok(all.length >= 4);
    const desc = await list({ aggregateId: first.userId });
    assert.deepEqual(seqs(desc), [2, 1], "newest first without asc");
    assert.deepEqual(seqs(await list({ aggregateId: first.userId, limit: 1 })), [2]);
    assert.deepEqual(seqs(await list({ aggregateId: first.userId, limit: 1, asc: true })), [1]);
    assert.deepEqual(seqs(await list({ aggregateId: first.userId, sequence: 1n, asc: true })), [2]);
    assert.deepEqual(seqs(await list({ aggregateId: first.userId, sequence: 2n })), []);
    const page = await list({ limit: 2 });
    assert.deepEqual(
      page.map((e) => `${e.aggregate?.id}/${e.sequence}`),
      all.slice(0, 2).map((e) => `${e.aggregate?.id}/${e.sequence}`),
    );
  });

  test("creation date: from (lower bound ascending, upper descending) and range", async () => {
    const cut = timestampFromDate(new Date(first.createdAt.getTime() + 30_000));
    const ids = (events: Event[]) => new Set(events.map((e) => e.aggregate?.id));
    const later = ids(await list({ asc: true, creationDateFilter: { case: "from", value: cut } }));
    assert.ok(later.has(second.userId) && !later.has(first.userId));
    const earlier = ids(await list({ creationDateFilter: { case: "from", value: cut } }));
    assert.ok(earlier.has(first.userId) && !earlier.has(second.userId));
    const deprecated = ids(await list({ asc: true, creationDate: cut }));
    assert.ok(deprecated.has(second.userId) && !deprecated.has(first.userId));
    const since = ids(await list({ creationDateFilter: { case: "range", value: { since: cut } as never } }));
    assert.ok(since.has(second.userId) && !since.has(first.userId));
    const until = ids(await list({ creationDateFilter: { case: "range", value: { until: cut } as never } }));
    assert.ok(until.has(first.userId) && !until.has(second.userId));
  });

  test("no code, token or unlisted field appears in any payload", async () => {
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    const secret = unique("stored-secret");
    try {
      await db.query(
        `insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor)
         values ($1, 'user', $2, 1, 'user.human.email.code.added', $3, 'test')`,
        [t.defaultOrgId, unique("crafted"), JSON.stringify({ code: secret, expiry: "1h" })],
      );
    } finally {
      await db.end();
    }
    let events: Event[] = [];
    for (let i = 0; i < 100; i++) {
      events = await list({ editorUserId: "test" });
      if (events.length > 0) break;
      await sleep(100);
    }
    assert.deepEqual(events[0]?.payload, { expiry: "1h" }, "only the catalog's fields");
    const everything = JSON.stringify((await list({})).map((e) => e.payload));
    assert.ok(!everything.includes(secret));
    assert.ok(!everything.includes(first.code), "the returned email code is not in any payload");
    assert.ok(!everything.includes(tenant.token), "nor the personal access token");
  });

  test("a caller without events.read (an ORG_OWNER) is denied on gRPC and REST", async () => {
    const err = await adminClient("grpc", t.baseUrl, tenant.token)
      .listEvents({})
      .then(
        () => assert.fail("listed"),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ConnectError);
    assert.equal(err.code, Code.PermissionDenied);
    const res = await rest(t.baseUrl, "POST", "/admin/v1/events/_search", { token: tenant.token, body: {} });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    const types = await rest(t.baseUrl, "POST", "/admin/v1/events/types/_search", {
      token: tenant.token,
      body: {},
    });
    assert.equal(types.status, 403);
  });
});

describe("AdminService.ListEventTypes and ListAggregateTypes", () => {
  test("the catalog's types and every stored type; the three aggregate types", async () => {
    const types = (await grpc().listEventTypes({})).eventTypes;
    const names = types.map((e) => e.type);
    assert.deepEqual(names, [...names].sort());
    for (const n of ["user.human.added", "user.removed", "org.added", "user.machine.added"])
      assert.ok(names.includes(n), n);
    assert.equal(
      types.find((e) => e.type === "user.locked")?.localized?.localizedMessage,
      "The user was locked.",
    );
    const res = await rest(t.baseUrl, "POST", "/admin/v1/aggregates/types/_search", {
      token: t.adminToken,
      body: {},
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      (res.body.aggregateTypes as Array<{ type: string }>).map((a) => a.type),
      ["instance", "org", "user"],
    );
  });
});
