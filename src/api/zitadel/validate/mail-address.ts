import { goQuote } from "./go-fmt.ts";
import { encodedWordError } from "./mail-encoded-word.ts";
import { fail, isAtext, MailScanner, MailSyntaxError } from "./mail-scanner.ts";

/**
 * The address parser behind PGV's `email` rule: PGV calls Go's `net/mail.ParseAddress` and
 * then checks lengths and the domain. This re-implements the accept/reject behaviour of that
 * parser (RFC 5322 with Go's leniencies: display names, comments, groups with one member,
 * domain literals) and its error texts, which PGV prints after `| caused by:`.
 *
 * Not reproduced: RFC 2047 decoding of display names; only its "unsupported charset" failure
 * matters for acceptance, and that is detected.
 */

/** The outcome of parsing: the bare `local@domain` address, or Go's error text. */
export type MailParse = { readonly address: string } | { readonly error: string };

/**
 * `local@domain` made of plain ASCII dot-atoms — nearly every real input — which Go's parser
 * returns unchanged; such input skips the full grammar.
 */
const plainAddrSpec =
  /^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*$/;

/** Go's `net/mail.ParseAddress(input)`, reduced to the address or the error text. */
export function parseMailAddress(input: string): MailParse {
  if (plainAddrSpec.test(input)) return { address: input };
  try {
    return { address: new AddressParser(input).parseSingleAddress() };
  } catch (e) {
    if (e instanceof MailSyntaxError) return { error: e.message };
    throw e;
  }
}

/** Runs `read`; a syntax error becomes its message instead of propagating. */
function attempt<T>(read: () => T): T | MailSyntaxError {
  try {
    return read();
  } catch (e) {
    if (e instanceof MailSyntaxError) return e;
    throw e;
  }
}

class AddressParser extends MailScanner {
  parseSingleAddress(): string {
    const addresses = this.parseAddress(true);
    if (!this.skipCFWS()) fail("mail: misformatted parenthetical comment");
    if (this.s.length > 0) fail(`mail: expected single address, got ${goQuote(this.s)}`);
    if (addresses.length === 0) fail("mail: empty group");
    if (addresses.length > 1) fail("mail: group with multiple addresses");
    return addresses[0] as string;
  }

  private parseAddress(handleGroup: boolean): string[] {
    this.skipSpace();
    if (this.s.length === 0) fail("mail: no address");
    // Like Go: try the stricter addr-spec first, fall back to `display-name <addr-spec>`.
    const spec = attempt(() => this.consumeAddrSpec());
    if (typeof spec === "string") {
      this.skipSpace();
      if (this.s.startsWith("(")) this.consumeDisplayNameComment();
      return [spec];
    }
    const displayName = this.s.startsWith("<") ? "" : this.consumePhrase();
    this.skipSpace();
    if (handleGroup && this.consume(":")) return this.consumeGroupList();
    if (!this.consume("<")) {
      const allAtext = [...displayName].every((ch) => isAtext(ch.codePointAt(0) ?? 0, true));
      fail(allAtext ? "mail: missing '@' or angle-addr" : "mail: no angle-addr");
    }
    const inner = this.consumeAddrSpec();
    if (!this.consume(">")) fail("mail: unclosed angle-addr");
    return [inner];
  }

  private consumeGroupList(): string[] {
    const group: string[] = [];
    this.skipSpace();
    if (this.consume(";")) {
      if (!this.skipCFWS()) fail("mail: misformatted parenthetical comment");
      return group;
    }
    for (;;) {
      this.skipSpace();
      group.push(...this.parseAddress(false));
      if (!this.skipCFWS()) fail("mail: misformatted parenthetical comment");
      if (this.consume(";")) {
        if (!this.skipCFWS()) fail("mail: misformatted parenthetical comment");
        return group;
      }
      if (!this.consume(",")) fail("mail: expected comma");
    }
  }

  /** `local@domain`; leaves the input untouched when it fails. */
  private consumeAddrSpec(): string {
    const original = this.s;
    try {
      this.skipSpace();
      if (this.s.length === 0) fail("mail: no addr-spec");
      let local: string;
      if (this.s.startsWith('"')) {
        // Go replaces any quoted-string error by this one, as the failed parse left it "".
        const quoted = attempt(() => this.consumeQuotedString());
        local = typeof quoted === "string" ? quoted : "";
        if (local === "") fail("mail: empty quoted string in addr-spec");
      } else {
        local = this.consumeAtom(true, false);
      }
      if (!this.consume("@")) fail("mail: missing @ in addr-spec");
      this.skipSpace();
      if (this.s.length === 0) fail("mail: no domain in addr-spec");
      const domain = this.s.startsWith("[") ? this.consumeDomainLiteral() : this.consumeAtom(true, false);
      return `${local}@${domain}`;
    } catch (e) {
      this.s = original;
      throw e;
    }
  }

  /** Display-name words; Go ignores a failing word once it has at least one. */
  private consumePhrase(): string {
    const words: string[] = [];
    for (;;) {
      if (words.length > 0 && !this.skipCFWS()) fail("mail: misformatted parenthetical comment");
      this.skipSpace();
      if (this.s.length === 0) break;
      const word = attempt(() =>
        this.s.startsWith('"') ? this.consumeQuotedString() : this.consumeWordAtom(),
      );
      if (typeof word !== "string") {
        if (words.length === 0) fail(`mail: missing word in phrase: ${word.message}`);
        break;
      }
      words.push(word);
    }
    return words.join(" ");
  }

  /** A phrase atom; an RFC 2047 word in an unsupported charset fails like Go's decoder. */
  private consumeWordAtom(): string {
    const atom = this.consumeAtom(true, true);
    const charsetError = encodedWordError(atom);
    if (charsetError !== undefined) fail(charsetError);
    return atom;
  }

  /** `addr-spec (comment)`: the comment is Go's display name, its encoded words decoded. */
  private consumeDisplayNameComment(): void {
    this.consume("(");
    const comment = this.consumeComment();
    if (comment === undefined) fail("mail: misformatted parenthetical comment");
    for (const word of comment.split(/[ \t]+/)) {
      const charsetError = word === "" ? undefined : encodedWordError(word);
      if (charsetError !== undefined) fail(charsetError);
    }
  }
}
