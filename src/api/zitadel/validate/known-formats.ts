import { goQuote } from "./go-fmt.ts";
import { parseMailAddress } from "./mail-address.ts";
import { utf8Length } from "./runes.ts";

/**
 * The helper functions PGV generates into every Go file that needs them (`_validateHostname`,
 * `_validateEmail`). Each returns the error text PGV wraps as the cause
 * (`value must be a valid email address | caused by: <this>`), or undefined when valid.
 * Lengths are in UTF-8 bytes, as Go's `len` counts them.
 */

/** PGV's `_validateHostname`: dot-separated labels of a-z, 0-9 and inner hyphens. */
export function hostnameError(host: string): string | undefined {
  // Go lower-cases rune by rune (simple case mapping); JS's full mapping differs only for
  // U+0130, which Go maps to a plain "i".
  const s = (host.endsWith(".") ? host.slice(0, -1) : host).replaceAll("\u0130", "i").toLowerCase();
  if (utf8Length(host) > 253) return "hostname cannot exceed 253 characters";
  for (const part of s.split(".")) {
    const length = utf8Length(part);
    if (length === 0 || length > 63) return "hostname part must be non-empty and cannot exceed 63 characters";
    if (part.startsWith("-")) return "hostname parts cannot begin with hyphens";
    if (part.endsWith("-")) return "hostname parts cannot end with hyphens";
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d) continue;
      const ch = String.fromCodePoint(part.codePointAt(i) ?? c);
      return `hostname parts can only contain alphanumeric characters or hyphens, got ${goQuote(ch)}`;
    }
  }
  return undefined;
}

/**
 * PGV's `_validateEmail`: Go's `mail.ParseAddress` must accept the input (display names and
 * comments included — PGV then checks only the bare address), the address must fit 254
 * bytes, its local part 64, and its domain must be a hostname.
 */
export function emailError(input: string): string | undefined {
  const parsed = parseMailAddress(input);
  if ("error" in parsed) return parsed.error;
  const address = parsed.address;
  if (utf8Length(address) > 254) return "email addresses cannot exceed 254 characters";
  const at = address.indexOf("@");
  if (utf8Length(address.slice(0, at)) > 64) return "email address local phrase cannot exceed 64 characters";
  return hostnameError(address.slice(at + 1));
}
