/**
 * Just enough of Go's `fmt` and `strconv` to print values the way PGV's generated code does:
 * PGV quotes
 * literals with `%q`, and Go's standard library quotes inputs in its errors.
 */

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const shortEscapes: Readonly<Record<number, string>> = {
  7: "\\a",
  8: "\\b",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
};

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

function escapeRune(ch: string, quote: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (ch === quote || ch === "\\") return `\\${ch}`;
  // A lone surrogate is what an invalid UTF-8 sequence becomes here; Go prints U+FFFD's escape.
  if (cp >= 0xd800 && cp <= 0xdfff) return "\ufffd";
  if (printable.test(ch)) return ch;
  const short = shortEscapes[cp];
  if (short !== undefined) return short;
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  return cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
}

/** `strconv.Quote` / `%q` of a string: `"a\"b"`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch, '"');
  return `${out}"`;
}

/** `strconv.QuoteRune` / `%q` of a rune: `'x'`. */
export function goQuoteRune(ch: string): string {
  return `'${escapeRune(ch, "'")}'`;
}
