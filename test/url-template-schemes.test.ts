import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { assertRestError, person } from "./helpers/v2-people.ts";

let t: TestApp;
let tenantKey: string;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  const created = await rest(t.baseUrl, "POST", "/v1/api-keys", {
    token: t.adminToken,
    headers: { "x-tenant-id": t.defaultOrgId },
    body: { name: "links", roles: ["admin"] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  tenantKey = created.body.raw_key as string;
});
after(async () => {
  await t?.stop();
});

/** Templates that render to something other than an http(s) URL (ZITADEL accepts all of them). */
const NOT_HTTP = [
  "javascript:alert(document.cookie)//{{.Code}}",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#{{.Code}}",
  "/relative/{{.UserID}}?c={{.Code}}",
];
const GOOD = "https://app.example/verify?u={{.UserID}}&c={{.Code}}&o={{.OrgID}}";

type Surface = [name: string, call: (userId: string, urlTemplate: string) => Promise<Answer>];
type Answer = { status: number; body: Record<string, unknown> };

const post = (path: string, body: unknown) => rest(t.baseUrl, "POST", path, { token: t.adminToken, body });

/** Every ZITADEL call that takes a link template (management v1 takes none). */
const SURFACES: Surface[] = [
  [
    "v2 AddHumanUser",
    (_, urlTemplate) =>
      post("/v2/users/human", {
        profile: { givenName: "Ada", familyName: "Lovelace" },
        email: { email: `${unique("t")}@example.com`, sendCode: { urlTemplate } },
      }),
  ],
  [
    "v2 UpdateHumanUser",
    (id, urlTemplate) =>
      rest(t.baseUrl, "PUT", `/v2/users/human/${id}`, {
        token: t.adminToken,
        body: { email: { email: `${unique("t")}@example.com`, sendCode: { urlTemplate } } },
      }),
  ],
  [
    "v2 CreateInviteCode",
    (id, urlTemplate) => post(`/v2/users/${id}/invite_code`, { sendCode: { urlTemplate } }),
  ],
  [
    "v2 SetEmail",
    (id, urlTemplate) =>
      post(`/v2/users/${id}/email`, { email: `${unique("t")}@example.com`, sendCode: { urlTemplate } }),
  ],
  [
    "v2 SendEmailCode",
    (id, urlTemplate) => post(`/v2/users/${id}/email/send`, { sendCode: { urlTemplate } }),
  ],
  [
    "v2 ResendEmailCode",
    (id, urlTemplate) => post(`/v2/users/${id}/email/resend`, { sendCode: { urlTemplate } }),
  ],
  [
    "v2 PasswordReset",
    (id, urlTemplate) => post(`/v2/users/${id}/password_reset`, { sendLink: { urlTemplate } }),
  ],
];

const outboxRows = async () =>
  Number((await t.app.db.query<{ n: string }>("select count(*) as n from outbox"))[0]?.n);

describe("link templates must render to http(s) URLs (stricter than ZITADEL)", () => {
  for (const [name, call] of SURFACES) {
    test(`${name}: INVALID_ARGUMENT USHER-LINK1, nothing queued; an https template works`, async () => {
      const p = await person(t);
      // ResendEmailCode needs a code to replace.
      assert.equal((await post(`/v2/users/${p.userId}/email/send`, { returnCode: {} })).status, 200);
      const before = await outboxRows();
      for (const bad of NOT_HTTP) {
        assertRestError(await call(p.userId, bad), 400, 3, "URL Template is invalid", "USHER-LINK1");
      }
      assert.equal(await outboxRows(), before, "a refused call queues no mail");
      const ok = await call(p.userId, GOOD);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });
  }

  test("tenant API invite_url_template: 400 validation_error and no user is created", async () => {
    const v1 = (body: Record<string, unknown>) =>
      rest(t.baseUrl, "POST", "/v1/users", {
        headers: { "x-api-key": tenantKey, "x-tenant-id": t.defaultOrgId },
        body,
      });
    for (const bad of NOT_HTTP) {
      const email = `${unique("tenant")}@example.com`;
      const res = await v1({ email, invite_url_template: bad });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, "validation_error");
      assert.match(String(JSON.stringify(res.body.details)), /URL Template is invalid/);
      const rows = await t.app.db.query("select id from users where email = $1", [email]);
      assert.equal(rows.length, 0, "the refused invite leaves no user behind");
    }
    const ok = await v1({ email: `${unique("tenant")}@example.com`, invite_url_template: GOOD });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });
});
