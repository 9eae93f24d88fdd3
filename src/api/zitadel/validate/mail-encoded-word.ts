import { goQuote } from "./go-fmt.ts";

/**
 * RFC 2047 encoded words (`=?charset?B?...?=`) in display names. Go's `net/mail` decodes them
 * and ignores malformed ones, but fails when a well-formed word names a charset it cannot
 * convert — the one case where an encoded word changes whether PGV accepts an email. The
 * decoded text itself is never needed, so only that failure is detected here.
 */

/** Charsets Go's `mime.WordDecoder` converts without a `CharsetReader`. */
const builtinCharsets = new Set(["utf-8", "iso-8859-1", "us-ascii"]);

/** Go's `base64.StdEncoding`: padded, standard alphabet. */
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go's `qDecode`: printable ASCII, `_`, and `=XX` escapes. */
function isQEncoded(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) {
      if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) return false;
      i += 2;
    } else if (!((c >= 0x20 && c <= 0x7e) || c === 0x0a || c === 0x0d || c === 0x09)) return false;
  }
  return true;
}

/**
 * Go's `charset not supported: "<name>"` when `word` is an encoded word that decodes but in a
 * charset Go does not know; undefined for plain words and for malformed encoded words (Go
 * keeps those as literal text).
 */
export function encodedWordError(word: string): string | undefined {
  if (word.length < 8 || !word.startsWith("=?") || !word.endsWith("?=")) return undefined;
  const inner = word.slice(2, -2);
  if (inner.split("?").length !== 3) return undefined;
  const [charset = "", encoding = "", text = ""] = inner.split("?");
  if (charset === "" || encoding.length !== 1) return undefined;
  const e = encoding.toLowerCase();
  if (e === "b" ? !base64.test(text) : e === "q" ? !isQEncoded(text) : true) return undefined;
  if (builtinCharsets.has(charset.toLowerCase())) return undefined;
  return `charset not supported: ${goQuote(charset)}`;
}
