import { de } from "./texts/de.ts";
import { en } from "./texts/en.ts";
import type { PageTexts } from "./texts/types.ts";

/** The languages the hosted pages are written in. */
export const PAGE_TEXTS: Readonly<Record<string, PageTexts>> = { en, de };

/** The bundled texts for a tag such as `de-CH` (exact, then its primary subtag), if any. */
export function textsFor(tag: string | null | undefined): PageTexts | undefined {
  const t = (tag ?? "").trim().toLowerCase();
  return PAGE_TEXTS[t] ?? PAGE_TEXTS[t.split("-")[0] ?? ""];
}

/**
 * The tags of an `Accept-Language` header, most wanted first; entries with `q=0` or a broken
 * weight are left out, and equal weights keep the header's order.
 */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag && l.tag !== "*" && Number.isFinite(l.q) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}

/**
 * The texts for a request: the user's preferred language, then the browser's
 * `Accept-Language`, then the instance default, then English.
 */
export function chooseTexts(
  preferred: string | undefined,
  acceptLanguage: string | undefined,
  fallback: string,
): PageTexts {
  for (const tag of [preferred, ...acceptedLanguages(acceptLanguage), fallback]) {
    const texts = textsFor(tag);
    if (texts) return texts;
  }
  return en;
}
