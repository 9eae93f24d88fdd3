import assert from "node:assert/strict";
import { ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import type { Db } from "../../src/db/types.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { hashToken, newToken } from "../../src/domain/tokens.ts";
import type { EventRow } from "../../src/queries/events.ts";
import { eventsOf } from "../../src/queries/events.ts";
import { putMember } from "../../src/queries/members.ts";
import { tokenQueries } from "../../src/queries/tokens.ts";
import { rest } from "./clients.ts";
import type { TestApp } from "./test-app.ts";
import { unique } from "./test-app.ts";

/** A human user created over REST, with a token of its own (for self-service calls). */
export interface Person {
  userId: string;
  orgId: string;
  email: string;
  token: string;
}

/** Creates a human user (email unverified, no code, optional extra AddHumanUser fields). */
export async function person(
  t: TestApp,
  extra: Record<string, unknown> = {},
  orgId?: string,
): Promise<Person> {
  const email = `${unique("p")}@example.com`;
  const res = await rest(t.baseUrl, "POST", "/v2/users/human", {
    token: t.adminToken,
    headers: orgId ? { "x-zitadel-orgid": orgId } : {},
    body: {
      profile: { givenName: "Ada", familyName: "Lovelace" },
      email: { email, isVerified: false },
      ...extra,
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const userId = res.body.userId as string;
  return {
    userId,
    orgId: orgId ?? t.defaultOrgId,
    email,
    token: await tokenFor(t.app.db, orgId ?? t.defaultOrgId, userId),
  };
}

/** The id of the instance's bootstrap admin, a machine user. */
export async function adminUserId(t: TestApp): Promise<string> {
  const rows = await t.app.db.query<{ admin_user_id: string }>("select admin_user_id from instance");
  return rows[0]?.admin_user_id ?? "";
}

/** A personal access token for any user. */
export async function tokenFor(db: Db, orgId: string, userId: string): Promise<string> {
  const token = newToken();
  await tokenQueries(db).insert({
    id: uuidv7(),
    orgId,
    userId,
    tokenHash: hashToken(token),
    expiresAt: null,
    at: new Date(),
  });
  return token;
}

/** Grants roles on an organization ('' = the instance). */
export function grant(db: Db, orgId: string, userId: string, roles: string[]): Promise<void> {
  return putMember(db, orgId, userId, roles);
}

/** A new organization, straight in the database. */
export async function newOrg(db: Db): Promise<string> {
  const id = uuidv7();
  const name = unique("org");
  await db.query(
    "insert into organizations (id, name, primary_domain, created_at, updated_at) values ($1, $2, $3, now(), now())",
    [id, name, `${name}.test`],
  );
  return id;
}

/** Puts a user into an internal state directly (INITIAL users cannot be made through v2). */
export async function forceState(db: Db, userId: string, state: number): Promise<void> {
  await db.query("update users set state = $2 where id = $1", [userId, state]);
}

/**
 * The user's events, oldest first, without the notifier's `*.code.sent` (the delivery worker
 * writes those whenever it gets to a message, so tests must not depend on their timing).
 */
export async function events(t: TestApp, userId: string): Promise<EventRow[]> {
  return (await eventsOf(t.app.db, userId)).filter((e) => !e.type.endsWith(".code.sent"));
}

/** Types of the user's events, oldest first (without `*.code.sent`). */
export async function eventTypes(t: TestApp, userId: string): Promise<string[]> {
  return (await events(t, userId)).map((e) => e.type);
}

/** Asserts a ZITADEL error on REST: status, gRPC code, `<text> (<id>)` and one ErrorDetail. */
export function assertRestError(
  res: { status: number; body: Record<string, unknown> },
  status: number,
  code: number,
  text: string,
  id: string,
): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.code, code, JSON.stringify(res.body));
  assert.equal(res.body.message, `${text} (${id})`);
  assert.deepEqual(res.body.details, [
    { "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id, message: text },
  ]);
}

/** Awaits a failing client call and asserts its code, message and ErrorDetail id. */
export async function assertRpcError(
  call: Promise<unknown>,
  code: number,
  text: string,
  id: string,
): Promise<void> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectError, `expected an error, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.equal(err.rawMessage, `${text} (${id})`);
  assert.equal(err.findDetails(ErrorDetailSchema)[0]?.id, id);
}

/** A code that is certainly not `code`. */
export function wrongCode(code: string): string {
  return code === "AAAAAA" ? "BBBBBB" : "AAAAAA";
}
