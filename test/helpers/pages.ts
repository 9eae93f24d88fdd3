import assert from "node:assert/strict";
import { addInitCode } from "../../src/commands/init-codes.ts";
import { writeUserEvents } from "../../src/commands/user-events.ts";
import { enqueueMessages } from "../../src/outbox/enqueue.ts";
import { eventsOf } from "../../src/queries/events.ts";
import { userQueries } from "../../src/queries/users.ts";
import { rest } from "./clients.ts";
import { fixtures } from "./fixtures.ts";
import { type TestApp, unique } from "./test-app.ts";

/** A user of the default organization, with its address. */
export interface MailUser {
  userId: string;
  email: string;
}

/**
 * An INITIAL user with a mailed init code, written with fixtures until v1 AddHumanUser can
 * make one: state 6, the given preferred language, an init code issued as v1 would.
 */
export async function initialUser(t: TestApp, language = "en"): Promise<MailUser> {
  const { userId, email } = await fixtures(t.app.db).user(t.defaultOrgId);
  await t.app.db.query("update users set state = 6, preferred_language = $2 where id = $1", [
    userId,
    language,
  ]);
  await t.app.db.transaction(async (tx) => {
    const user = await userQueries(tx).lockById(userId);
    assert.ok(user);
    const init = await addInitCode(tx, t.app.deps, user, "");
    await writeUserEvents(tx, user, "test", new Date(), [init.event]);
    await enqueueMessages(tx, init.messages);
  });
  return { userId, email };
}

/** An INITIAL user made as clients make one: v1 AddHumanUser, which mails the init code. */
export async function v1InitialUser(t: TestApp, language: string): Promise<MailUser> {
  const email = `${unique("v1page")}@example.com`;
  const res = await rest(t.baseUrl, "POST", "/management/v1/users/human", {
    token: t.adminToken,
    body: {
      userName: unique("v1page"),
      profile: { firstName: "Ada", lastName: "Lovelace", preferredLanguage: language },
      email: { email },
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { userId: res.body.userId as string, email };
}

/** A v2 human user; `verification` is the AddHumanUser email field's delivery part. */
export async function v2Human(
  t: TestApp,
  language: string,
  verification: Record<string, unknown> = { isVerified: false },
): Promise<MailUser> {
  const email = `${unique("page")}@example.com`;
  const res = await rest(t.baseUrl, "POST", "/v2/users/human", {
    token: t.adminToken,
    body: {
      profile: { givenName: "Grace", familyName: "Hopper", preferredLanguage: language },
      email: { email, ...verification },
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { userId: res.body.userId as string, email };
}

/** A v2 user with a mailed invite code (CreateInviteCode, default link). */
export async function invitedUser(t: TestApp, language = "en"): Promise<MailUser> {
  const u = await v2Human(t, language);
  const res = await rest(t.baseUrl, "POST", `/v2/users/${u.userId}/invite_code`, {
    token: t.adminToken,
    body: { sendCode: {} },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return u;
}

/** What the API says about a user: `GET /v2/users/{id}` with the admin token. */
export async function apiUser(t: TestApp, userId: string) {
  const res = await rest(t.baseUrl, "GET", `/v2/users/${userId}`, { token: t.adminToken });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const user = res.body.user as { state: string; human: Record<string, unknown> };
  const email = user.human.email as { isVerified?: boolean };
  return {
    state: user.state,
    emailVerified: email.isVerified === true,
    passwordSet: typeof user.human.passwordChanged === "string",
    passwordChangeRequired: user.human.passwordChangeRequired === true,
  };
}

/** The types of a user's events, in order. */
export async function eventTypes(t: TestApp, userId: string): Promise<string[]> {
  return (await eventsOf(t.app.db, userId)).map((e) => e.type);
}
