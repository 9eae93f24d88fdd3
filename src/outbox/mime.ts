import { domainToASCII } from "node:url";
import type { OutgoingMail } from "./sender.ts";

/** An address as SMTP's envelope wants it and as the header shows it. */
export interface MailAddress {
  /** `local@domain`, the domain in ASCII (punycode). */
  address: string;
  /** The header form: `Name <local@domain>`, the name encoded when it is not plain ASCII. */
  header: string;
}

/** Longest line SMTP allows without the CRLF (RFC 5321 4.5.3.1.6). */
const MAX_LINE = 998;
const ASCII_ONLY = /^[\x20-\x7e\t\r\n]*$/;
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * Parses `Name <local@domain>` or a bare `local@domain` (as `USHER_MAIL_FROM` and recipients
 * are given). Refuses line breaks and angle brackets inside the address: either would let a
 * value write its own header or SMTP command.
 */
export function parseAddress(value: string): MailAddress {
  const m = /^\s*(?:([^<>]*?)\s*<([^<>]*)>|([^<>]*))\s*$/.exec(value);
  const raw = (m?.[2] ?? m?.[3] ?? "").trim();
  if (!m || raw === "" || /[\r\n\s]/.test(raw))
    throw new Error(`not a mail address: ${JSON.stringify(value)}`);
  const at = raw.lastIndexOf("@");
  const domain = at > 0 ? raw.slice(at + 1) : "";
  const ascii = PRINTABLE.test(domain) ? domain : domainToASCII(domain);
  const address = at > 0 ? `${raw.slice(0, at)}@${ascii || domain}` : raw;
  const name = (m[1] ?? "").replace(/^"(.*)"$/, "$1").trim();
  if (/[\r\n]/.test(name)) throw new Error("a mail address's name may not hold a line break");
  return { address, header: name ? `${headerWord(name)} <${address}>` : address };
}

/**
 * The whole RFC 5322 message of a mail, ready for SMTP's DATA: a `multipart/alternative` with the
 * text and the HTML part, CRLF line ends. Parts that are ASCII with short lines go as they are
 * (7bit, readable in any mail source); others in base64. The SMTP client still dot-stuffs.
 * One buffer per message: nodemailer's streaming composer cost more CPU than the rest of a
 * delivery together.
 */
export function composeMessage(mail: OutgoingMail, from: MailAddress, to: MailAddress, date: Date): Buffer {
  if (/[\r\n]/.test(mail.subject) || /[\r\n<>]/.test(mail.messageId.slice(1, -1)))
    throw new Error("a header value may not hold a line break");
  // Deterministic per message; a part that happens to contain it is sent in base64, whose
  // alphabet has no "_", so the boundary can never occur in the body.
  const boundary = `=_usher_${mail.outboxId.replace(/-/g, "")}`;
  const text = part("text/plain", mail.text, boundary);
  const html = part("text/html", mail.html, boundary);
  const head = [
    `From: ${from.header}`,
    `To: ${to.header}`,
    `Subject: ${headerText(mail.subject)}`,
    `Message-ID: ${mail.messageId}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
  ].join("\r\n");
  return Buffer.from(
    `${head}\r\n\r\n--${boundary}\r\n${text}\r\n--${boundary}\r\n${html}\r\n--${boundary}--\r\n`,
  );
}

function part(type: string, body: string, boundary: string): string {
  const crlf = body.replace(/\r?\n/g, "\r\n");
  if (ASCII_ONLY.test(crlf) && !crlf.includes(boundary) && longestLine(crlf) <= MAX_LINE)
    return `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${crlf}`;
  // Line ends inside base64 stay as written, as nodemailer sends them.
  const b64 = Buffer.from(body, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}`;
}

function longestLine(s: string): number {
  let longest = 0;
  let start = 0;
  for (let i = s.indexOf("\r\n"); i !== -1; i = s.indexOf("\r\n", start)) {
    longest = Math.max(longest, i - start);
    start = i + 2;
  }
  return Math.max(longest, s.length - start);
}

/** An unstructured header value: as it is when plain and short, else RFC 2047 encoded words. */
function headerText(value: string): string {
  return PRINTABLE.test(value) && value.length <= 900 ? value : encodedWords(value);
}

/** A display name: an atom or quoted string when plain, else encoded words. */
function headerWord(name: string): string {
  if (!PRINTABLE.test(name)) return encodedWords(name);
  return /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(name) ? name : `"${name.replace(/(["\\])/g, "\\$1")}"`;
}

/**
 * `=?utf-8?B?…?=` words of at most 42 bytes of text each (68 characters encoded), split between
 * characters, never inside one, and folded onto continuation lines.
 */
function encodedWords(value: string): string {
  const words: string[] = [];
  let chunk = "";
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch) > 42) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?utf-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`).join("\r\n ");
}
