import { goQuote, goQuoteRune } from "./go-fmt.ts";
import { isGoIP } from "./ip-address.ts";

/**
 * The lexical layer of Go's `net/mail` address parser — atoms, quoted strings, comments,
 * domain literals — with Go's error texts. mail-address.ts builds the address grammar on it.
 *
 * Works on UTF-16 code units where Go works on bytes; only ASCII delimiters are ever
 * compared, so the two agree. A lone surrogate is what U+FFFD would be on the wire: an
 * ordinary non-ASCII character, so Go's invalid-UTF-8 errors cannot occur.
 */

/** A syntax error carrying Go's message (`mail: ...`). */
export class MailSyntaxError extends Error {}

/** Throws Go's error; typed `never` so callers read like Go's early returns. */
export function fail(message: string): never {
  throw new MailSyntaxError(message);
}

const isVchar = (cp: number): boolean => (cp >= 0x21 && cp <= 0x7e) || cp >= 0x80;
const isWSP = (cp: number): boolean => cp === 0x20 || cp === 0x09;
const specials = new Set([...'()<>[]:;@\\,"'].map((c) => c.codePointAt(0)));
const isQtext = (cp: number): boolean => cp !== 0x5c && cp !== 0x22 && isVchar(cp);
const isDtext = (cp: number): boolean => cp !== 0x5b && cp !== 0x5d && cp !== 0x5c && isVchar(cp);

/** RFC 5322 atext (dot-atom text when `dot`), extended to all non-ASCII by RFC 6532. */
export const isAtext = (cp: number, dot: boolean): boolean =>
  cp === 0x2e ? dot : !specials.has(cp) && isVchar(cp);

/** The unread rest of the input and the token readers over it. */
export class MailScanner {
  constructor(protected s: string) {}

  protected consume(c: string): boolean {
    if (!this.s.startsWith(c)) return false;
    this.s = this.s.slice(1);
    return true;
  }

  protected skipSpace(): void {
    let i = 0;
    while (i < this.s.length && (this.s[i] === " " || this.s[i] === "\t")) i++;
    if (i > 0) this.s = this.s.slice(i);
  }

  /** Skips spaces and (nested) comments; false when a comment is not closed. */
  protected skipCFWS(): boolean {
    this.skipSpace();
    while (this.consume("(")) {
      if (this.consumeComment() === undefined) return false;
      this.skipSpace();
    }
    return true;
  }

  /** The comment's text after its `(`; undefined when unbalanced. */
  protected consumeComment(): string | undefined {
    let depth = 1;
    let comment = "";
    while (this.s.length > 0 && depth > 0) {
      if (this.s[0] === "\\" && this.s.length > 1) this.s = this.s.slice(1);
      else if (this.s[0] === "(") depth++;
      else if (this.s[0] === ")") depth--;
      if (depth > 0) comment += this.s[0];
      this.s = this.s.slice(1);
    }
    return depth === 0 ? comment : undefined;
  }

  /** A quoted string's content, escapes resolved; the input starts at its `"`. */
  protected consumeQuotedString(): string {
    let i = 1;
    let out = "";
    let escaped = false;
    for (;;) {
      const cp = this.s.codePointAt(i);
      if (cp === undefined) fail("mail: unclosed quoted-string");
      const ch = String.fromCodePoint(cp);
      if (escaped) {
        if (!isVchar(cp) && !isWSP(cp)) fail(`mail: bad character in quoted-string: ${goQuoteRune(ch)}`);
        out += ch;
        escaped = false;
      } else if (isQtext(cp) || isWSP(cp)) out += ch;
      else if (ch === '"') break;
      else if (ch === "\\") escaped = true;
      else fail(`mail: bad character in quoted-string: ${goQuoteRune(ch)}`);
      i += ch.length;
    }
    this.s = this.s.slice(i + 1);
    return out;
  }

  /** An atom (dot-atom when `dot`); `permissive` allows leading, trailing and double dots. */
  protected consumeAtom(dot: boolean, permissive: boolean): string {
    let i = 0;
    while (i < this.s.length) {
      const cp = this.s.codePointAt(i) as number;
      if (!isAtext(cp, dot)) break;
      i += cp > 0xffff ? 2 : 1;
    }
    if (i === 0) fail("mail: invalid string");
    const atom = this.s.slice(0, i);
    this.s = this.s.slice(i);
    if (!permissive) {
      if (atom.startsWith(".")) fail("mail: leading dot in atom");
      if (atom.includes("..")) fail("mail: double dot in atom");
      if (atom.endsWith(".")) fail("mail: trailing dot in atom");
    }
    return atom;
  }

  /** `[dtext]`, which Go only accepts when the text is an IP address. */
  protected consumeDomainLiteral(): string {
    this.consume("[");
    let dtext = "";
    for (;;) {
      if (this.s.length === 0) fail("mail: unclosed domain-literal");
      if (this.s.startsWith("]")) break;
      const cp = this.s.codePointAt(0) as number;
      const ch = String.fromCodePoint(cp);
      if (!isDtext(cp)) fail(`mail: bad character in domain-literal: ${goQuoteRune(ch)}`);
      dtext += ch;
      this.s = this.s.slice(ch.length);
    }
    this.consume("]");
    if (!isGoIP(dtext)) fail(`mail: invalid IP address in domain-literal: ${goQuote(dtext)}`);
    return `[${dtext}]`;
  }
}
