import { de } from "./de.ts";
import { en } from "./en.ts";
import { es } from "./es.ts";
import { fr } from "./fr.ts";
import type { LanguageTexts } from "./types.ts";

/** Bundled message texts by language. */
export const BUNDLED: Readonly<Record<string, LanguageTexts>> = { en, de, fr, es };
export const LANGUAGES = Object.keys(BUNDLED);

/**
 * The bundled language for a preference such as `de-CH` or `und`: the exact tag, then its
 * primary subtag, then the instance default, then English.
 */
export function pickLanguage(preferred: string, fallback: string): string {
  const tag = preferred.toLowerCase();
  for (const candidate of [tag, tag.split("-")[0] ?? "", fallback.toLowerCase()]) {
    if (candidate && BUNDLED[candidate]) return candidate;
  }
  return "en";
}
