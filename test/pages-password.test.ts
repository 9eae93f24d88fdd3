import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { uuidv7 } from "../src/domain/ids.ts";
import { verifyPassword } from "../src/domain/passwords.ts";
import { assertAccessible, focusOrder } from "./helpers/a11y.ts";
import { browserSkip, launchBrowser, linkFrom, newPage, screenshot } from "./helpers/browser.ts";
import { rest } from "./helpers/clients.ts";
import { getPage, linkFields, postForm } from "./helpers/form-client.ts";
import { eventTypes, v2Human } from "./helpers/pages.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import { newOrg } from "./helpers/v2-people.ts";

/** ZITADEL login v1's password-init page, where the PasswordReset mail links. */
const RESET = "/ui/login/password/init";
const OLD = "the old password 1";
const NEW = "a brand new password";
let smtp: SmtpCatcher;
let t: TestApp;

before(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ config: { smtpUrl: smtp.url } });
});
after(async () => {
  await t?.stop();
  await smtp?.close();
});

/** An ACTIVE user with a password, in a language, and the link of a mailed password reset. */
async function resetRequested(language = "en"): Promise<{ userId: string; email: string; link: string }> {
  const u = await v2Human(t, language, { isVerified: true });
  const set = await rest(t.baseUrl, "POST", `/v2/users/${u.userId}/password`, {
    token: t.adminToken,
    body: { newPassword: { password: OLD } },
  });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const reset = await rest(t.baseUrl, "POST", `/v2/users/${u.userId}/password_reset`, {
    token: t.adminToken,
    body: { sendLink: { notificationType: "NOTIFICATION_TYPE_Email" } },
  });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  return { ...u, link: await resetLink(u.email, 1) };
}

/** The `count`-th reset link mailed to an address. */
async function resetLink(email: string, count: number): Promise<string> {
  const mine = () => smtp.mails.filter((m) => m.to.includes(email));
  await smtp.waitFor((m) => m.to.includes(email) && mine().length >= count);
  const mail = mine()[count - 1];
  assert.ok(mail);
  return linkFrom(mail, RESET);
}

/** Whether `password` is the user's password now (read from its stored hash, changing nothing). */
async function passwordIs(userId: string, password: string): Promise<boolean> {
  const rows = await t.app.db.query<{ password_hash: string | null }>(
    "select password_hash from users where id = $1",
    [userId],
  );
  const hash = rows[0]?.password_hash;
  return typeof hash === "string" && (await verifyPassword(password, hash));
}

/** Opens a link as a browser without JavaScript would and posts its form. */
async function submit(link: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const page = await getPage(link, headers);
  assert.equal(page.status, 200, page.html);
  return postForm(
    new URL(RESET, link).toString(),
    {
      ...linkFields(link),
      password: NEW,
      password2: NEW,
      action: "submit",
      form_token: page.token ?? "",
      ...fields,
    },
    { cookie: page.cookie ?? "", ...headers },
  );
}

describe("the password reset page, as forms (no browser)", () => {
  test("the reset mail's link opens the page; GETs consume nothing; the code sets the password once", async () => {
    const u = await resetRequested();
    assert.equal(new URL(u.link).searchParams.get("userID"), u.userId);
    assert.equal(new URL(u.link).searchParams.get("orgID"), t.defaultOrgId);
    assert.match(new URL(u.link).searchParams.get("code") ?? "", /^[A-Z0-9]{6}$/);
    for (let i = 0; i < 3; i++) {
      const page = await getPage(u.link);
      assert.equal(page.status, 200);
      assert.match(page.html, /<h1[^>]*>Choose a new password<\/h1>/);
      assert.match(page.html, /autocomplete="new-password"/);
    }
    assert.ok(await passwordIs(u.userId, OLD), "a GET must not change anything");
    const done = await submit(u.link, {});
    assert.equal(done.status, 303, done.html);
    assert.equal(done.headers.get("location"), "/ui/login/done?lang=en&flow=password");
    const donePage = await getPage(`${t.baseUrl}${done.headers.get("location")}`);
    assert.match(donePage.html, /Your password is changed/);
    assert.ok(await passwordIs(u.userId, NEW));
    assert.ok((await eventTypes(t, u.userId)).includes("user.human.password.changed"));
    const again = await submit(u.link, {
      password: "yet another password",
      password2: "yet another password",
    });
    assert.equal(again.status, 400);
    assert.match(again.html, /This code can(&#39;|')t be used/);
  });

  test("posts need the page's form token", async () => {
    const u = await resetRequested();
    const page = await getPage(u.link);
    const fields = { ...linkFields(u.link), password: NEW, password2: NEW, action: "submit" };
    const url = new URL(RESET, u.link).toString();
    const noToken = await postForm(url, fields, { cookie: page.cookie ?? "" });
    assert.equal(noToken.status, 403);
    const noCookie = await postForm(url, { ...fields, form_token: page.token ?? "" });
    assert.equal(noCookie.status, 403);
    const foreign = await postForm(
      url,
      { ...fields, form_token: page.token ?? "" },
      { cookie: page.cookie ?? "", origin: "https://evil.example" },
    );
    assert.equal(foreign.status, 403);
    assert.ok(await passwordIs(u.userId, OLD));
  });

  test("an unknown user, another organization and a wrong code get the same page", async () => {
    const u = await resetRequested();
    const variants = [{ code: "WRONG1" }, { userID: uuidv7() }, { orgID: await newOrg(t.app.db) }];
    const answers: string[] = [];
    for (const change of variants) {
      const link = new URL(u.link);
      for (const [k, v] of Object.entries(change)) link.searchParams.set(k, v);
      const res = await submit(link.toString(), {});
      assert.equal(res.status, 400);
      answers.push(
        res.html
          .replace(/name="form_token" value="[^"]+"/g, "")
          .replace(/(userID|orgID)(=|" value=")[^&"]+/g, ""),
      );
    }
    for (const a of answers) assert.equal(a, answers[0]);
    assert.ok(await passwordIs(u.userId, OLD));
  });

  test("wrong codes count against the code's attempt limit, as on v2 SetPassword", async () => {
    const u = await resetRequested();
    for (let i = 0; i < 3; i++) assert.equal((await submit(u.link, { code: "WRONG1" })).status, 400);
    const right = await submit(u.link, {});
    assert.equal(right.status, 400, "the code is dead after three failures");
    assert.ok(await passwordIs(u.userId, OLD));
  });

  test("'send me a new one' mails a new reset link; the old one stops working", async () => {
    const u = await resetRequested();
    const page = await getPage(u.link);
    const sent = await postForm(
      new URL(RESET, u.link).toString(),
      { ...linkFields(u.link), lang: "en", form_token: page.token ?? "", action: "resend" },
      { cookie: page.cookie ?? "" },
    );
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.get("location"), "/ui/login/sent?lang=en&flow=password");
    const second = await resetLink(u.email, 2);
    assert.notEqual(linkFields(second).code, linkFields(u.link).code);
    assert.equal((await submit(u.link, {})).status, 400);
    assert.equal((await submit(second, {})).status, 303);
    assert.ok(await passwordIs(u.userId, NEW));
  });

  test("German: the mail's link opens the page in German", async () => {
    const u = await resetRequested("de");
    assert.equal(new URL(u.link).searchParams.get("lang"), "de");
    const page = await getPage(u.link, { "accept-language": "en" });
    assert.match(page.html, /<html lang="de">/);
    assert.match(page.html, /Neues Passwort festlegen/);
  });
});

describe("the password reset page in Chromium", { skip: browserSkip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  async function choose(page: Page, password: string) {
    await page.fill("#password", password);
    await page.fill("#password2", password);
    await page.click("button[value=submit]");
  }

  test("from the mail's link to a new password, by keyboard, desktop and phone width", async () => {
    const u = await resetRequested();
    const { context, page } = await newPage(browser, "en-US");
    await page.goto(u.link);
    assert.equal(await page.textContent("h1"), "Choose a new password");
    await assertAccessible(page);
    assert.deepEqual(await focusOrder(page), [
      "code",
      "password",
      "password2",
      "Set new password",
      "Send me a new code",
    ]);
    await screenshot(page, "password-form-en");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "password-form-en-390");
    await page.setViewportSize({ width: 800, height: 900 });
    await choose(page, "short");
    await assertAccessible(page);
    await screenshot(page, "password-errors-en");
    // Keyboard only: the code is prefilled; type the passwords and press Enter.
    await page.focus("#password");
    await page.keyboard.type(NEW);
    await page.keyboard.press("Tab");
    await page.keyboard.type(NEW);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/ui\/login\/done/);
    assert.equal(await page.textContent("h1"), "Your password is changed");
    await assertAccessible(page);
    await screenshot(page, "password-done-en");
    await context.close();
    assert.ok(await passwordIs(u.userId, NEW));
  });

  test("German: a wrong code, a new mail, then success", async () => {
    const u = await resetRequested("de");
    const { context, page } = await newPage(browser, "en-US");
    const wrong = new URL(u.link);
    wrong.searchParams.set("code", "FALSCH");
    await page.goto(wrong.toString());
    assert.equal(await page.locator("html").getAttribute("lang"), "de");
    assert.equal(await page.textContent("h1"), "Neues Passwort festlegen");
    await screenshot(page, "password-form-de");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "password-form-de-390");
    await choose(page, NEW);
    assert.equal(await page.textContent("h1"), "Dieser Code kann nicht verwendet werden");
    await assertAccessible(page);
    await screenshot(page, "password-invalid-de-390");
    await page.click("button[value=resend]");
    await page.waitForURL(/\/ui\/login\/sent/);
    const second = await resetLink(u.email, 2);
    await page.goto(second);
    await choose(page, NEW);
    await page.waitForURL(/\/ui\/login\/done/);
    assert.equal(await page.textContent("h1"), "Ihr Passwort ist geändert");
    await screenshot(page, "password-done-de-390");
    await context.close();
    assert.ok(await passwordIs(u.userId, NEW));
  });
});
