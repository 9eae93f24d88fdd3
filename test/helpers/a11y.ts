import assert from "node:assert/strict";
import type { Page } from "playwright-core";

interface Problem {
  what: string;
  where: string;
}

/**
 * Checks what a page must have without a full audit tool: a `lang`, a title, one `<h1>`, a
 * label for every visible input, `aria-describedby` pointing at existing elements (errors
 * among them for invalid inputs), and text contrast of at least 4.5:1 against the nearest
 * opaque background.
 */
export async function assertAccessible(page: Page): Promise<void> {
  const problems = (await page.evaluate(AUDIT)) as Problem[];
  assert.deepEqual(problems, [], JSON.stringify(problems, null, 2));
}

/**
 * Tabs through the page from the top and returns what gets focus, in order (id, else the
 * element's text), checking that each focused element shows a visible outline.
 */
export async function focusOrder(page: Page, steps = 10): Promise<string[]> {
  await page.evaluate("document.activeElement && document.activeElement.blur()");
  const seen: string[] = [];
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press("Tab");
    const focused = (await page.evaluate(FOCUSED)) as { name: string; outlined: boolean } | null;
    if (!focused) break;
    assert.ok(focused.outlined, `no visible focus on ${focused.name}`);
    if (seen.includes(focused.name)) break;
    seen.push(focused.name);
  }
  return seen;
}

/**
 * The audit, run in the page. Kept as source text: tsx wraps named functions in a helper
 * (`__name`) that does not exist in the browser, so a compiled function cannot be sent.
 */
const AUDIT = `(() => {
  const out = [];
  const where = (el) => el.outerHTML.slice(0, 80);
  if (!document.documentElement.lang) out.push({ what: "no lang", where: "html" });
  if (!document.title.trim()) out.push({ what: "no title", where: "head" });
  if (document.querySelectorAll("h1").length !== 1) out.push({ what: "not one h1", where: "body" });
  for (const el of document.querySelectorAll("input:not([type=hidden])")) {
    if (!el.labels || el.labels.length === 0) out.push({ what: "no label", where: where(el) });
    const ids = (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    for (const id of ids) if (!document.getElementById(id)) out.push({ what: "no #" + id, where: where(el) });
    const tiedError = ids.some((id) => document.getElementById(id)?.classList.contains("error"));
    if (el.getAttribute("aria-invalid") === "true" && !tiedError)
      out.push({ what: "invalid without tied error", where: where(el) });
  }
  const rgba = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const channel = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const lum = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0.99) return c;
    }
    return [255, 255, 255];
  };
  for (const el of document.querySelectorAll("h1,h2,p,label,span,li,a,button,input:not([type=hidden])")) {
    if (el.tagName !== "INPUT" && !el.innerText.trim()) continue;
    const fg = lum(rgba(getComputedStyle(el).color));
    const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) out.push({ what: "contrast " + ratio.toFixed(2), where: where(el) });
  }
  return out;
})()`;

/** What has focus: its id (else its text), and whether it shows an outline of 2px or more. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    name: el.id || el.innerText.trim(),
    outlined: s.outlineStyle !== "none" && Number.parseFloat(s.outlineWidth) >= 2,
  };
})()`;
