import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { assertAccessible, focusOrder } from "./helpers/a11y.ts";
import { browserSkip, launchBrowser, linkFrom, newPage, screenshot } from "./helpers/browser.ts";
import { apiUser, eventTypes, initialUser, v1InitialUser } from "./helpers/pages.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

const INIT = "/ui/login/user/init";
let smtp: SmtpCatcher;
let t: TestApp;
let browser: Browser;

describe("the init page (/ui/login/user/init)", { skip: browserSkip }, () => {
  before(async () => {
    smtp = await startSmtpCatcher();
    t = await startTestApp({ config: { smtpUrl: smtp.url } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    await smtp?.close();
  });

  /** The link of the newest init mail to an address. */
  async function initLink(email: string, skip = 0): Promise<string> {
    await smtp.waitFor(
      (m) => m.to.includes(email) && smtp.mails.filter((x) => x.to.includes(email)).length > skip,
    );
    const mails = smtp.mails.filter((m) => m.to.includes(email));
    return linkFrom(mails[mails.length - 1] as (typeof mails)[number], INIT);
  }

  test("opening the link changes nothing; the form activates the account", async () => {
    const u = await initialUser(t);
    const link = await initLink(u.email);
    const scanned = await fetch(link);
    assert.equal(scanned.status, 200);
    assert.match(scanned.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    assert.doesNotMatch(await scanned.text(), /<script/i);

    const { context, page } = await newPage(browser);
    await page.goto(link);
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    assert.equal(await page.inputValue("#code"), new URL(link).searchParams.get("code"));
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_INITIAL", "a GET must not consume the code");
    await assertAccessible(page);
    assert.deepEqual(await focusOrder(page), [
      "code",
      "password",
      "password2",
      "Finish setup",
      "Send me a new code",
    ]);
    await screenshot(page, "init-form-en");

    await page.fill("#password", "short");
    await page.fill("#password2", "different");
    await page.click("button[value=submit]");
    assert.match(await page.title(), /^Error: /);
    assert.equal(await page.getAttribute("#password", "aria-invalid"), "true");
    assert.match((await page.textContent("#password-error")) ?? "", /at least 8 characters/);
    assert.match((await page.textContent("#password2-error")) ?? "", /do not match/);
    await assertAccessible(page);
    await screenshot(page, "init-errors-en");
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_INITIAL");

    await page.fill("#password", "correct horse battery");
    await page.fill("#password2", "correct horse battery");
    await page.click("button[value=submit]");
    await page.waitForURL(/\/ui\/login\/done/);
    assert.equal(await page.textContent("h1"), "Your account is ready");
    await assertAccessible(page);
    await screenshot(page, "init-done-en");
    await context.close();

    assert.deepEqual(await apiUser(t, u.userId), {
      state: "USER_STATE_ACTIVE",
      emailVerified: true,
      passwordSet: true,
      passwordChangeRequired: false,
    });
    const types = await eventTypes(t, u.userId);
    assert.deepEqual(types.slice(-3), [
      "user.human.initialization.check.succeeded",
      "user.human.email.verified",
      "user.human.password.changed",
    ]);
  });

  test("a user who prefers German (made by v1 AddHumanUser) gets the page in German", async () => {
    const u = await v1InitialUser(t, "de");
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_INITIAL");
    const link = await initLink(u.email);
    const { context, page } = await newPage(browser, "en-US");
    await page.goto(link);
    assert.equal(await page.locator("html").getAttribute("lang"), "de");
    assert.equal(await page.textContent("h1"), "Konto fertig einrichten");
    assert.equal(await page.textContent("label[for=password]"), "Neues Passwort");
    assert.match((await page.textContent("#password-hint")) ?? "", /Mindestens 8 Zeichen/);
    await assertAccessible(page);
    await screenshot(page, "init-form-de");
    await page.fill("#password", "kurz");
    await page.click("button[value=submit]");
    assert.match(await page.title(), /^Fehler: /);
    await screenshot(page, "init-errors-de");
    await page.fill("#password", "richtig pferd batterie");
    await page.fill("#password2", "richtig pferd batterie");
    await page.click("button[value=submit]");
    await page.waitForURL(/\/ui\/login\/done/);
    assert.equal(await page.textContent("h1"), "Ihr Konto ist bereit");
    await screenshot(page, "init-done-de");
    await context.close();
    assert.deepEqual(await apiUser(t, u.userId), {
      state: "USER_STATE_ACTIVE",
      emailVerified: true,
      passwordSet: true,
      passwordChangeRequired: false,
    });
  });

  test("wrong codes are recorded and count; 'send me a new one' mails a code that works", async () => {
    const u = await initialUser(t);
    const first = await initLink(u.email);
    const wrong = new URL(first);
    wrong.searchParams.set("code", "WRONG1");
    const { context, page } = await newPage(browser);
    await page.goto(wrong.toString());
    await page.fill("#password", "correct horse battery");
    await page.fill("#password2", "correct horse battery");
    await page.click("button[value=submit]");
    assert.equal(await page.textContent("h1"), "This code can't be used");
    await assertAccessible(page);
    await screenshot(page, "init-invalid-en");
    assert.equal((await eventTypes(t, u.userId)).at(-1), "user.human.initialization.check.failed");
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_INITIAL");

    await page.click("button[value=resend]");
    await page.waitForURL(/\/ui\/login\/sent/);
    assert.equal(await page.textContent("h1"), "Check your email");
    await screenshot(page, "init-sent-en");
    const second = await initLink(u.email, 1);
    assert.notEqual(new URL(second).searchParams.get("code"), new URL(first).searchParams.get("code"));

    await page.goto(first);
    await page.fill("#password", "correct horse battery");
    await page.fill("#password2", "correct horse battery");
    await page.click("button[value=submit]");
    assert.equal(await page.textContent("h1"), "This code can't be used", "the old code stopped working");

    await page.goto(second);
    await page.fill("#password", "correct horse battery");
    await page.fill("#password2", "correct horse battery");
    await page.click("button[value=submit]");
    await page.waitForURL(/\/ui\/login\/done/);
    await context.close();
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_ACTIVE");
  });

  test("after three wrong codes even the right one is refused", async () => {
    const u = await initialUser(t);
    const link = new URL(await initLink(u.email));
    const { context, page } = await newPage(browser);
    for (const code of ["WRONG1", "WRONG2", "WRONG3", link.searchParams.get("code") ?? ""]) {
      link.searchParams.set("code", code);
      await page.goto(link.toString());
      await page.fill("#password", "correct horse battery");
      await page.fill("#password2", "correct horse battery");
      await page.click("button[value=submit]");
      assert.equal(await page.textContent("h1"), "This code can't be used");
    }
    await context.close();
    const failed = (await eventTypes(t, u.userId)).filter(
      (e) => e === "user.human.initialization.check.failed",
    );
    assert.equal(failed.length, 3, "the check on a discarded code writes nothing more");
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_INITIAL");
  });
});
