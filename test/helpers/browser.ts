import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import type { CaughtMail } from "./smtp-catcher.ts";

/** Debian's Chromium; `.ci/run` installs it. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Why browser suites are skipped, or `false`. Only an explicit `USHER_SKIP_BROWSER_TESTS=1`
 * skips them: a Chromium that cannot start makes them fail.
 */
export const browserSkip: string | false =
  process.env.USHER_SKIP_BROWSER_TESTS === "1" ? "USHER_SKIP_BROWSER_TESTS=1" : false;

/** Starts headless Chromium (one per test file), failing loudly when it cannot. */
export async function launchBrowser(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  } catch (e) {
    throw new Error(
      `cannot launch Chromium at ${CHROMIUM_PATH} (install it: apt-get install chromium; or set USHER_SKIP_BROWSER_TESTS=1 to skip the browser tests): ${(e as Error).message}`,
    );
  }
}

/** A fresh browser profile (own cookies) whose `Accept-Language` is `language`. */
export async function newPage(
  browser: Browser,
  language = "en-US",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: language,
    extraHTTPHeaders: { "accept-language": language },
    viewport: { width: 800, height: 900 },
  });
  return { context, page: await context.newPage() };
}

const ARTIFACTS = path.resolve(import.meta.dirname, "..", "artifacts");

/** Saves a full-page screenshot under `test/artifacts/` (git-ignored); not on CI. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.CI) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The hosted-page link in a mail's text part. */
export function linkFrom(mail: CaughtMail, pagePath: string): string {
  const link = (mail.text.match(/https?:\/\/\S+/g) ?? []).find((u) => new URL(u).pathname === pagePath);
  if (!link) throw new Error(`no ${pagePath} link in mail "${mail.subject}":\n${mail.text}`);
  return link;
}
