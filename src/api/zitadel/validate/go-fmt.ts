/**
 * Just enough of Go's `fmt` and `strconv` to print values the way PGV's generated code does:
 * PGV formats rule values with `fmt.Sprint` at generation time (`[a b]`, `1e+06`), quotes
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

/**
 * `toExponential` rounds an exact half away from zero; Go's shortest float32 output rounds it
 * to the even digit (289873.125 → `289873.12`). `candidate` has `p` fraction digits.
 */
function evenOnTie(v: number, p: number, candidate: string): string {
  const longer = v.toExponential(p + 1);
  const [mantissa = "", exponent = ""] = longer.split("e");
  if (!mantissa.endsWith("5") || Number(longer) !== v) return candidate;
  const truncated = `${mantissa.slice(0, -1).replace(/\.$/, "")}e${exponent}`;
  const lastDigit = Number(candidate.split("e")[0]?.slice(-1));
  const useTruncated = lastDigit % 2 === 1 && Math.fround(Number(truncated)) === v;
  return useTruncated ? truncated : candidate;
}

/** Shortest decimal digits and exponent that round-trip `v` at the given precision. */
function shortestDigits(v: number, bits: 32 | 64): { digits: string; exp: number } {
  let text = v.toExponential();
  if (bits === 32) {
    for (let p = 0; p < 9; p++) {
      const candidate = v.toExponential(p);
      if (Math.fround(Number(candidate)) === v) {
        text = evenOnTie(v, p, candidate);
        break;
      }
    }
  }
  const [mantissa = "0", exponent = "0"] = text.split("e");
  return { digits: mantissa.replace(".", "").replace("-", ""), exp: Number(exponent) };
}

/**
 * `fmt.Sprint` of a float64 (bits 64) or float32 (bits 32): Go's `%v` is `%g` with the
 * shortest round-tripping digits, and for shortest output strconv switches to exponent form
 * when the decimal exponent is < -4 or >= 6 — so 123456 prints as `123456` but 1000000 as
 * `1e+06` and 1234567 as `1.234567e+06`.
 */
export function goFloat(v: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  if (v === 0) return `${sign}0`;
  const { digits, exp } = shortestDigits(Math.abs(v), bits);
  const eprec = 6;
  if (exp < -4 || exp >= eprec) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e}`;
  }
  const point = exp + 1;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `fmt.Sprint` of a slice: elements separated by spaces inside brackets. */
export function goList(items: readonly unknown[], item: (x: never) => string = String): string {
  return `[${items.map((x) => item(x as never)).join(" ")}]`;
}

/** `fmt.Sprint` of a `[]byte`: `[1 2 3]`. */
export function goBytes(bytes: Uint8Array): string {
  return `[${Array.from(bytes).join(" ")}]`;
}

/** PGV's `byteStr`: each byte as `\x%X`, unpadded, inside double quotes (`"\x1\xAB"`). */
export function goByteStr(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) out += `\\x${b.toString(16).toUpperCase()}`;
  return `${out}"`;
}
