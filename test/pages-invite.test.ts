import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { assertAccessible, focusOrder } from "./helpers/a11y.ts";
import { browserSkip, launchBrowser, linkFrom, newPage, screenshot } from "./helpers/browser.ts";
import { apiUser, eventTypes, invitedUser } from "./helpers/pages.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

const INVITE = "/ui/login/user/invite";
/** The application people land on after success; Chromium never reaches it, the test answers. */
const APP = "https://app.example.test/welcome";
let smtp: SmtpCatcher;
let t: TestApp;
let browser: Browser;

describe("the invite page (/ui/login/user/invite)", { skip: browserSkip }, () => {
  before(async () => {
    smtp = await startSmtpCatcher();
    t = await startTestApp({ config: { smtpUrl: smtp.url, uiSuccessUrl: APP } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    await smtp?.close();
  });

  async function inviteLinks(email: string, count: number): Promise<string[]> {
    await smtp.waitFor(
      (m) => m.to.includes(email) && smtp.mails.filter((x) => x.to.includes(email)).length >= count,
    );
    return smtp.mails.filter((m) => m.to.includes(email)).map((m) => linkFrom(m, INVITE));
  }

  async function appPage(browserLanguage: string) {
    const opened = await newPage(browser, browserLanguage);
    await opened.page.route(`${new URL(APP).origin}/**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>App</title><h1>The app</h1>" }),
    );
    return opened;
  }

  async function setPassword(page: Page, password: string) {
    await page.fill("#password", password);
    await page.fill("#password2", password);
    await page.click("button[value=submit]");
  }

  test("accepting sets the password, verifies the email and lands on the application", async () => {
    const u = await invitedUser(t);
    const [link = ""] = await inviteLinks(u.email, 1);
    const { context, page } = await appPage("en-US");
    await page.goto(link);
    assert.equal(await page.textContent("h1"), "Accept your invitation");
    assert.equal((await apiUser(t, u.userId)).emailVerified, false, "a GET must not consume the code");
    await assertAccessible(page);
    assert.deepEqual(await focusOrder(page), [
      "code",
      "password",
      "password2",
      "Accept invitation",
      "Send me a new code",
    ]);
    await screenshot(page, "invite-form-en");
    await setPassword(page, "correct horse battery");
    await page.waitForURL(APP);
    assert.equal(await page.textContent("h1"), "The app");
    await context.close();
    assert.deepEqual(await apiUser(t, u.userId), {
      state: "USER_STATE_ACTIVE",
      emailVerified: true,
      passwordSet: true,
      passwordChangeRequired: false,
    });
    assert.deepEqual((await eventTypes(t, u.userId)).slice(-3), [
      "user.human.invite.check.succeeded",
      "user.human.email.verified",
      "user.human.password.changed",
    ]);
  });

  test("in German: a wrong code, a new one by mail, then success", async () => {
    const u = await invitedUser(t, "de");
    const [first = ""] = await inviteLinks(u.email, 1);
    const { context, page } = await appPage("en-US");
    const wrong = new URL(first);
    wrong.searchParams.set("code", "FALSCH");
    await page.goto(wrong.toString());
    assert.equal(await page.locator("html").getAttribute("lang"), "de");
    assert.equal(await page.textContent("h1"), "Einladung annehmen");
    await screenshot(page, "invite-form-de");
    await setPassword(page, "richtig pferd batterie");
    assert.equal(await page.textContent("h1"), "Dieser Code kann nicht verwendet werden");
    await assertAccessible(page);
    await screenshot(page, "invite-invalid-de");
    await page.click("button[value=resend]");
    await page.waitForURL(/\/ui\/login\/sent/);
    assert.equal(await page.textContent("h1"), "Sehen Sie in Ihr Postfach");
    await screenshot(page, "invite-sent-de");
    const [, second = ""] = await inviteLinks(u.email, 2);
    await page.goto(second);
    await setPassword(page, "richtig pferd batterie");
    await page.waitForURL(APP);
    await context.close();
    assert.equal((await apiUser(t, u.userId)).passwordSet, true);
  });

  test("a used invite link afterwards shows the neutral page", async () => {
    const u = await invitedUser(t);
    const [link = ""] = await inviteLinks(u.email, 1);
    const { context, page } = await appPage("en-US");
    await page.goto(link);
    await setPassword(page, "correct horse battery");
    await page.waitForURL(APP);
    await page.goto(link);
    await setPassword(page, "another horse battery");
    assert.equal(await page.textContent("h1"), "This code can't be used");
    await screenshot(page, "invite-invalid-en");
    await context.close();
  });
});
