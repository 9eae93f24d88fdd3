import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { getPage, postForm } from "./helpers/form-client.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

/**
 * Behind a reverse proxy every request arrives from the proxy's address. With the proxy
 * trusted (`trustedProxies`), its `X-Forwarded-For` / `Forwarded` names the client, so junk
 * from one forwarded address drains only that address's bucket: another person's correct
 * code still works. The test client connects from 127.0.0.1, which plays the proxy.
 */
const VERIFY = "/ui/login/mail/verification";
let t: TestApp;
let open: TestApp;
before(async () => {
  t = await startTestApp({ config: { trustedProxies: "127.0.0.1, ::1" } });
  open = await startTestApp();
});
after(async () => {
  await t?.stop();
  await open?.stop();
});

/** A user with an unverified address and its email code (handed back, not mailed). */
async function userWithCode(app: TestApp): Promise<{ userId: string; code: string }> {
  const res = await rest(app.baseUrl, "POST", "/v2/users/human", {
    token: app.adminToken,
    body: {
      profile: { givenName: "Ada", familyName: "Lovelace" },
      email: { email: `${unique("proxy")}@example.com`, returnCode: {} },
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { userId: res.body.userId as string, code: res.body.emailCode as string };
}

/** 31 junk form posts (random users, no form token) from one forwarded address. */
async function junkPosts(app: TestApp, from: Record<string, string>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 31; i++) {
    const res = await postForm(
      `${app.baseUrl}${VERIFY}`,
      { userID: `nobody-${i}`, orgID: app.defaultOrgId, code: "XXXXXX", action: "submit" },
      from,
    );
    statuses.push(res.status);
  }
  return statuses;
}

async function postCorrectCode(app: TestApp, from: Record<string, string>) {
  const u = await userWithCode(app);
  const link = `${app.baseUrl}${VERIFY}?userID=${u.userId}&orgID=${app.defaultOrgId}&code=${u.code}`;
  const page = await getPage(link, from);
  return postForm(
    `${app.baseUrl}${VERIFY}`,
    {
      userID: u.userId,
      orgID: app.defaultOrgId,
      code: u.code,
      form_token: page.token ?? "",
      action: "submit",
    },
    { cookie: page.cookie ?? "", ...from },
  );
}

test("pages: junk from one forwarded address does not stop another address's correct code", async () => {
  const junk = await junkPosts(t, { "x-forwarded-for": "203.0.113.9" });
  assert.equal(junk.at(-1), 429, `the junk address is throttled: ${junk.join(",")}`);
  // The same junk address is still throttled through a second proxy hop that is trusted too.
  const again = await postForm(
    `${t.baseUrl}${VERIFY}`,
    { userID: "x", action: "submit" },
    {
      "x-forwarded-for": "203.0.113.9, 127.0.0.1",
    },
  );
  assert.equal(again.status, 429);
  const ok = await postCorrectCode(t, { forwarded: 'for="198.51.100.7:5151"' });
  assert.equal(ok.status, 303, ok.html);
});

test("tenant end-user endpoint: junk from one forwarded address does not stop another's code", async () => {
  const post = (body: unknown, address: string) =>
    rest(t.baseUrl, "POST", "/v1/auth/verify-email", {
      headers: { "x-tenant-id": t.defaultOrgId, "x-forwarded-for": address },
      body,
    });
  let last = 0;
  for (let i = 0; i < 31; i++)
    last = (await post({ user_id: `nobody-${i}`, code: "XXXXXX" }, "203.0.113.10")).status;
  assert.equal(last, 429);
  const u = await userWithCode(t);
  const ok = await post({ user_id: u.userId, code: u.code }, "198.51.100.8");
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

test("forwarding headers from a peer that is not a trusted proxy are ignored", async () => {
  // Without trusted proxies a client cannot escape its bucket by naming another address.
  const junk = await junkPosts(open, { "x-forwarded-for": "203.0.113.11" });
  assert.equal(junk.at(-1), 429);
  const spoofed = await postCorrectCode(open, { "x-forwarded-for": "198.51.100.9" });
  assert.equal(spoofed.status, 429);
});
