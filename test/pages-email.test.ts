import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { assertAccessible, focusOrder } from "./helpers/a11y.ts";
import { browserSkip, launchBrowser, linkFrom, newPage, screenshot } from "./helpers/browser.ts";
import { apiUser, eventTypes, v2Human } from "./helpers/pages.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

const VERIFY = "/ui/login/mail/verification";
let smtp: SmtpCatcher;
let t: TestApp;
let browser: Browser;

describe("the email verification page (/ui/login/mail/verification)", { skip: browserSkip }, () => {
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

  async function verifyLinks(email: string, count: number): Promise<string[]> {
    await smtp.waitFor(
      (m) => m.to.includes(email) && smtp.mails.filter((x) => x.to.includes(email)).length >= count,
    );
    return smtp.mails.filter((m) => m.to.includes(email)).map((m) => linkFrom(m, VERIFY));
  }

  test("the link's form verifies the address; opening it alone does not", async () => {
    const u = await v2Human(t, "en", { sendCode: {} });
    const [link = ""] = await verifyLinks(u.email, 1);
    const { context, page } = await newPage(browser, "de-DE");
    await page.goto(link);
    assert.equal(
      await page.locator("html").getAttribute("lang"),
      "en",
      "the mail's language (its link names it) wins",
    );
    assert.equal(await page.textContent("h1"), "Verify your email address");
    assert.equal(await page.locator("#password").count(), 0);
    assert.equal((await apiUser(t, u.userId)).emailVerified, false);
    await assertAccessible(page);
    assert.deepEqual(await focusOrder(page), ["code", "Verify email", "Send me a new code"]);
    await screenshot(page, "email-form-en");
    await page.fill("#code", "");
    await page.click("button[value=submit]");
    assert.equal(await page.textContent("#code-error"), "Enter the code from the email.");
    await assertAccessible(page);
    await screenshot(page, "email-errors-en");
    await page.fill("#code", (new URL(link).searchParams.get("code") ?? "").toLowerCase());
    await page.click("button[value=submit]");
    await page.waitForURL(/\/ui\/login\/done/);
    assert.equal(await page.textContent("h1"), "Email address verified");
    await screenshot(page, "email-done-en");
    await context.close();
    assert.deepEqual(await apiUser(t, u.userId), {
      state: "USER_STATE_ACTIVE",
      emailVerified: true,
      passwordSet: false,
      passwordChangeRequired: false,
    });
    assert.equal((await eventTypes(t, u.userId)).at(-1), "user.human.email.verified");
  });

  test("in German: wrong code, a new one, success; then the throttle page", async () => {
    const u = await v2Human(t, "de", { sendCode: {} });
    const [first = ""] = await verifyLinks(u.email, 1);
    const { context, page } = await newPage(browser, "en-US");
    const wrong = new URL(first);
    wrong.searchParams.set("code", "FALSCH");
    await page.goto(wrong.toString());
    assert.equal(await page.textContent("h1"), "E-Mail-Adresse bestätigen");
    await screenshot(page, "email-form-de");
    await page.click("button[value=submit]");
    assert.equal(await page.textContent("h1"), "Dieser Code kann nicht verwendet werden");
    await screenshot(page, "email-invalid-de");
    assert.equal((await eventTypes(t, u.userId)).at(-1), "user.human.email.verification.failed");
    await page.click("button[value=resend]");
    await page.waitForURL(/\/ui\/login\/sent/);
    await screenshot(page, "email-sent-de");
    const [, second = ""] = await verifyLinks(u.email, 2);
    await page.goto(second);
    await page.click("button[value=submit]");
    await page.waitForURL(/\/ui\/login\/done/);
    assert.equal(await page.textContent("h1"), "E-Mail-Adresse bestätigt");
    await screenshot(page, "email-done-de");
    assert.equal((await apiUser(t, u.userId)).emailVerified, true);

    // A verified address gets no more codes, but the page looks the same until the throttle.
    for (let i = 0; i < 3; i++) {
      await page.goto(second);
      await page.click("button[value=resend]");
    }
    assert.equal(await page.textContent("h1"), "Bitte warten Sie einen Moment");
    assert.match((await page.textContent("main p")) ?? "", /in 6 Minuten erneut/);
    await assertAccessible(page);
    await screenshot(page, "email-throttled-de");
    await context.close();
    assert.equal(smtp.mails.filter((m) => m.to.includes(u.email)).length, 2);
  });
});
