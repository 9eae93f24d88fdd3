import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { FLOWS } from "../../src/api/pages/flows.ts";
import { PAGE_TEXTS } from "../../src/api/pages/language.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { assertAccessible } from "./a11y.ts";
import { browserSkip, launchBrowser, newPage, screenshot } from "./browser.ts";
import { startTestApp, type TestApp } from "./test-app.ts";

/** Checks the heading, audits the page and saves it as `<name>-<lang>.png`. */
async function check(page: Page, name: string, lang: string, heading: string) {
  assert.equal(await page.locator("html").getAttribute("lang"), lang, name);
  assert.equal(await page.textContent("h1"), heading, name);
  await assertAccessible(page);
  await screenshot(page, `${name}-${lang}`);
}

/**
 * Every page in one language, opened in Chromium and audited (lang, labels, described
 * errors, contrast): the forms, their errors, the neutral "can't be used" page, "sent",
 * "done", "try again later", the expired form, a broken link and an unknown page. The user
 * ids are unknown ones, so the browser's language decides. One file per language keeps each
 * within the runner's per-file time limit.
 */
export function galleryIn(lang: string): void {
  let t: TestApp;
  let browser: Browser;
  describe(`every hosted page, in ${lang}`, { skip: browserSkip }, () => {
    before(async () => {
      t = await startTestApp();
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.stop();
    });
    test(lang, async () => {
      await t.app.db.query("delete from send_throttle where key like 'ui:%'");
      const texts = PAGE_TEXTS[lang];
      assert.ok(texts);
      const { context, page } = await newPage(browser, lang);
      for (const flow of FLOWS) {
        const link = `${t.baseUrl}${flow.path}?${new URLSearchParams({ userID: uuidv7(), code: "ABC123", orgID: t.defaultOrgId })}`;
        await page.goto(link);
        const words = texts.flows[flow.name];
        await check(page, `gallery-${flow.name}-form`, lang, words.title);
        if (flow.setsPassword) {
          await page.fill("#password", "short");
          await page.click("button[value=submit]");
          await check(page, `gallery-${flow.name}-errors`, lang, words.title);
          await page.fill("#password", "long enough password");
          await page.fill("#password2", "long enough password");
        }
        await page.click("button[value=submit]");
        await check(page, `gallery-${flow.name}-invalid`, lang, texts.invalid.title);
        await page.click("button[value=resend]");
        await page.waitForURL(/\/ui\/login\/sent/);
        await check(page, "gallery-sent", lang, texts.sent.title);
        await page.goto(`${t.baseUrl}/ui/login/done?flow=${flow.name}&lang=${lang}`);
        await check(page, `gallery-${flow.name}-done`, lang, words.doneTitle);
        await page.goto(link);
        await context.clearCookies();
        await page.click("button[value=submit]");
        assert.equal(await page.textContent(".summary li"), texts.formExpired);
        await check(page, `gallery-${flow.name}-expired`, lang, words.title);
      }
      const link = `${t.baseUrl}${FLOWS[0]?.path}?userID=${uuidv7()}&orgID=${t.defaultOrgId}`;
      for (let i = 0; i < 3; i++) {
        await page.goto(link);
        await page.click("button[value=resend]");
      }
      await check(page, "gallery-throttled", lang, texts.throttled.title);
      await page.goto(`${t.baseUrl}${FLOWS[0]?.path}?code=ABC123`);
      await check(page, "gallery-bad-link", lang, texts.badLink.title);
      await page.goto(`${t.baseUrl}/ui/login/nowhere`);
      await check(page, "gallery-not-found", lang, texts.notFound.title);
      await context.close();
    });
  });
}
