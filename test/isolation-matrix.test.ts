import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { rest } from "./helpers/clients.ts";
import { fixtures } from "./helpers/fixtures.ts";
import { tableFootprint } from "./helpers/footprint.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import {
  CALLER_KINDS,
  type CallerKind,
  key,
  type Outcome,
  type Row,
  type Target,
  type Where,
  type World,
} from "./isolation/matrix-types.ts";
import { actionRows } from "./isolation/rows-actions.ts";
import { managementUserRows } from "./isolation/rows-management-users.ts";
import { orgAndAccountRows } from "./isolation/rows-orgs.ts";
import { userServiceRows } from "./isolation/rows-user-v2.ts";
import { userLifecycleRows } from "./isolation/rows-user-v2-lifecycle.ts";

/**
 * Every implemented method × every kind of caller × a target in organization A or B. The list
 * of methods comes from the running app, so a method added without a row here fails the test.
 * A refused call must change nothing and send nothing: every table's rows are compared by content.
 */
let t: TestApp;
let world: World;
let rows: Record<string, Row>;

before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  const fx = fixtures(t.app.db);
  const [a, b] = [await fx.org(), await fx.org()];
  const member = async (
    orgId: string,
    scope: string,
    roles: string[],
    state: "live" | "revoked" | "expired" = "live",
  ) => {
    const { userId } = await fx.user(orgId, "machine");
    await fx.grant(scope, userId, roles);
    return fx.token(orgId, userId, state);
  };
  world = {
    orgs: { A: a, B: b },
    tokens: {
      instanceOwner: await member(a, "", ["IAM_OWNER"]),
      orgAOwner: await member(a, a, ["ORG_OWNER"]),
      orgAManager: await member(a, a, ["ORG_USER_MANAGER"]),
      orgAViewer: await member(a, a, ["ORG_USER_VIEWER"]),
      orgBOwner: await member(b, b, ["ORG_OWNER"]),
      revoked: await member(a, "", ["IAM_OWNER"], "revoked"),
      expired: await member(a, "", ["IAM_OWNER"], "expired"),
    },
  };
  const admin = { token: t.adminToken };
  rows = {
    ...orgAndAccountRows({ baseUrl: t.baseUrl, adminToken: t.adminToken }),
    ...userLifecycleRows({ baseUrl: t.baseUrl, adminToken: t.adminToken }),
    ...managementUserRows({ baseUrl: t.baseUrl, adminToken: t.adminToken }),
    ...actionRows({ baseUrl: t.baseUrl, adminToken: t.adminToken }),
    ...userServiceRows({
      async sendInvite(target) {
        const res = await rest(t.baseUrl, "POST", `/v2/users/${target.userId}/invite_code`, {
          ...admin,
          body: {},
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      },
      async returnInvite(target) {
        const res = await rest(t.baseUrl, "POST", `/v2/users/${target.userId}/invite_code`, {
          ...admin,
          body: { returnCode: {} },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.inviteCode as string;
      },
    }),
  };
});
after(async () => {
  await t?.stop();
});

async function freshTarget(where: Where): Promise<Target> {
  const fx = fixtures(t.app.db);
  const orgId = world.orgs[where];
  const { userId, email } = await fx.user(orgId);
  return { orgId, userId, email, selfToken: await fx.token(orgId, userId), extra: {} };
}

function tokenFor(kind: CallerKind, target: Target): string | undefined {
  if (kind === "none") return undefined;
  if (kind === "self") return target.selfToken;
  return world.tokens[kind];
}

/** Every table's rows, by content (see helpers/footprint.ts). */
const footprint = () => tableFootprint(t.app.db);

async function call(
  client: Client<never>,
  method: string,
  request: Record<string, unknown>,
): Promise<Outcome> {
  try {
    await (client as unknown as Record<string, (r: unknown) => Promise<unknown>>)[method]?.(request);
    return "ok";
  } catch (e) {
    if (!(e instanceof ConnectError)) throw e;
    const id = e.findDetails(ErrorDetailSchema)[0]?.id;
    return id ? { code: e.code, id } : { code: e.code };
  }
}

test("every implemented method has a row", () => {
  const implemented = t.app.bindings.flatMap((b) =>
    b.service.methods.filter((m) => Object.hasOwn(b.handlers, m.localName)).map(key),
  );
  const missing = implemented.filter((k) => !rows[k]);
  assert.deepEqual(missing, [], "add these methods to the isolation matrix");
  assert.ok(implemented.length >= 5);
});

describe("isolation matrix", () => {
  for (const kind of CALLER_KINDS) {
    test(`caller: ${kind}`, async () => {
      for (const binding of t.app.bindings) {
        for (const method of binding.service.methods) {
          const row = rows[key(method)];
          if (!row || !Object.hasOwn(binding.handlers, method.localName)) continue;
          for (const where of ["A", "B"] as const) {
            const target = await freshTarget(where);
            await row.setup?.(target);
            const token = tokenFor(kind, target);
            const headers: Record<string, string> = { ...row.headers?.(target) };
            if (token) headers.authorization = `Bearer ${token}`;
            const client = createClient(
              binding.service,
              createConnectTransport({
                baseUrl: t.baseUrl,
                httpVersion: "1.1",
                interceptors: [
                  (next) => (req) => {
                    for (const [k, v] of Object.entries(headers)) req.header.set(k, v);
                    return next(req);
                  },
                ],
              }),
            ) as Client<never>;
            const before = await footprint();
            const outcome = await call(client, method.localName, row.request(target));
            const expected = row.expect(kind, where);
            assert.deepEqual(outcome, expected, `${key(method)} by ${kind} on a user in ${where}`);
            if (
              expected !== "ok" &&
              [Code.Unauthenticated, Code.PermissionDenied, Code.NotFound].includes(expected.code)
            ) {
              assert.deepEqual(
                await footprint(),
                before,
                `${key(method)} refused for ${kind} in ${where} changed nothing`,
              );
            }
          }
        }
      }
    });
  }
});
