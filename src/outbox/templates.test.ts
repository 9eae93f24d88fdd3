import assert from "node:assert/strict";
import { test } from "node:test";
import type { MessagePayload } from "./message.ts";
import { linkFor, renderMail } from "./templates.ts";
import { textTemplateProblem } from "./text-template.ts";

const payload = (over: Partial<MessagePayload> = {}): MessagePayload => ({
  userId: "u1",
  orgId: "o1",
  username: "ada@example.com",
  displayName: "Ada Lovelace",
  givenName: "Ada",
  preferredLanguage: "en",
  applicationName: "Acme",
  ...over,
});
const base = { type: "InviteUser" as const, code: "K7Q2ZD", externalUrl: "https://id.example.com" };

test("the user's language is chosen, then the instance default, then English", () => {
  assert.equal(
    renderMail({ ...base, payload: payload({ preferredLanguage: "de-CH" }) }).subject,
    "Einladung zu Acme",
  );
  assert.equal(
    renderMail({ ...base, payload: payload({ preferredLanguage: "fr" }) }).subject,
    "Invitation à Acme",
  );
  assert.equal(renderMail({ ...base, payload: payload({ preferredLanguage: "es" }) }).language, "es");
  assert.equal(
    renderMail({ ...base, payload: payload({ preferredLanguage: "und" }), defaultLanguage: "de" }).language,
    "de",
  );
  assert.equal(renderMail({ ...base, payload: payload({ preferredLanguage: "ja" }) }).language, "en");
});

test("the mail carries the code and the hosted-page link", () => {
  const mail = renderMail({ ...base, payload: payload() });
  assert.match(mail.text, /Your code: K7Q2ZD/);
  assert.ok(mail.text.includes("https://id.example.com/ui/login/user/invite?userID=u1&code=K7Q2ZD&orgID=o1"));
  assert.ok(mail.html.includes("Accept invite"));
});

test("the URL template wins over the hosted page", () => {
  const link = linkFor({
    ...base,
    payload: payload({ urlTemplate: "https://app/x?c={{.Code}}&u={{.UserID}}" }),
  });
  assert.equal(link, "https://app/x?c=K7Q2ZD&u=u1");
});

test("a stored template that renders to no http(s) URL is never mailed: the hosted page is", () => {
  for (const urlTemplate of ["javascript:alert(1)//{{.Code}}", "data:text/html,{{.Code}}"]) {
    const link = linkFor({ ...base, payload: payload({ urlTemplate }) });
    assert.equal(link, "https://id.example.com/ui/login/user/invite?userID=u1&code=K7Q2ZD&orgID=o1");
  }
});

test("organization overrides replace only the fields they set", () => {
  const mail = renderMail({
    ...base,
    payload: payload(),
    overrides: (lang) => (lang === "en" ? { subject: "Join {{.ApplicationName}} today" } : undefined),
  });
  assert.equal(mail.subject, "Join Acme today");
  assert.ok(mail.text.includes("You have been invited"));
});

test("arguments are escaped in HTML and line breaks never reach the subject", () => {
  const mail = renderMail({
    ...base,
    payload: payload({
      displayName: '<script>alert("x")</script>',
      applicationName: "Evil\r\nBcc: victim@example.com",
    }),
  });
  assert.ok(!mail.html.includes("<script>"));
  assert.ok(mail.html.includes("&#60;script&#62;"));
  assert.ok(!/[\r\n]/.test(mail.subject));
});

test("text templates accept only known fields", () => {
  assert.equal(textTemplateProblem("Hi {{.DisplayName}}"), undefined);
  assert.match(textTemplateProblem("Hi {{.Password}}") ?? "", /unknown field/);
  assert.match(textTemplateProblem("Hi {{ oops") ?? "", /without a field/);
});
