import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

const SHOTS = path.resolve(import.meta.dirname, "..", "..", "docs", "screenshots");

/**
 * Saves a console page at desktop width and at a 390 px wide phone's into docs/screenshots
 * (committed, linked from the README); not on CI, where the tree is a throwaway clone.
 */
export async function consoleShots(page: Page, name: string): Promise<void> {
  if (process.env.CI) return;
  mkdirSync(SHOTS, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(viewport);
}

/** Signs in over the console's session endpoint as a browser on Usher's origin would. */
export async function consoleSignIn(
  baseUrl: string,
  loginName: string,
  password: string,
): Promise<{ status: number; body: Record<string, unknown>; cookie: string; csrf: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/ui/console/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, "sec-fetch-site": "same-origin" },
    body: JSON.stringify({ loginName, password }),
  });
  const ms = performance.now() - started;
  const body = (await res.json()) as Record<string, unknown>;
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { status: res.status, body, cookie, csrf: String(body.csrfToken ?? ""), ms };
}

/** A call with the console's cookie and anti-CSRF token, from Usher's own origin. */
export function withCookie(
  baseUrl: string,
  s: { cookie: string; csrf: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    cookie: s.cookie,
    "x-usher-csrf": s.csrf,
    origin: baseUrl,
    "sec-fetch-site": "same-origin",
    "content-type": "application/json",
    ...extra,
  };
}
