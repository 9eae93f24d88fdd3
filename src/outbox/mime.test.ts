import assert from "node:assert/strict";
import { test } from "node:test";
import PostalMime from "postal-mime";
import { composeMessage, parseAddress } from "./mime.ts";
import type { OutgoingMail } from "./sender.ts";

const mail = (over: Partial<OutgoingMail>): OutgoingMail => ({
  to: "ada@example.com",
  from: "Usher <no-reply@usher.example>",
  subject: "Invitation",
  text: "Hello Ada\n\nYour code: K7Q2ZP\n",
  html: "<p>Hello Ada</p>",
  messageId: "<0190f3a2-7b6c-7d1e-8f00-1234567890ab@usher>",
  outboxId: "0190f3a2-7b6c-7d1e-8f00-1234567890ab",
  orgId: "o",
  args: {
    type: "InviteUser",
    language: "en",
    userId: "u",
    code: "K7Q2ZP",
    link: "https://usher.example/x",
    displayName: "Ada",
    username: "ada",
    applicationName: "",
  },
  ...over,
});

async function roundTrip(m: OutgoingMail) {
  const raw = composeMessage(m, parseAddress(m.from), parseAddress(m.to), new Date("2026-12-04T09:00:00Z"));
  return { raw: raw.toString(), parsed: await PostalMime.parse(raw) };
}

test("a plain mail reads back whole: headers, text and HTML, 7bit and CRLF", async () => {
  const { raw, parsed } = await roundTrip(mail({}));
  assert.equal(parsed.subject, "Invitation");
  assert.deepEqual(parsed.from, { address: "no-reply@usher.example", name: "Usher" });
  assert.equal(parsed.to?.[0] && "address" in parsed.to[0] ? parsed.to[0].address : "", "ada@example.com");
  assert.equal(parsed.messageId, "<0190f3a2-7b6c-7d1e-8f00-1234567890ab@usher>");
  // As postal-mime reads nodemailer's own output of this text, too.
  assert.equal(parsed.text, "Hello Ada\n\nYour code: K7Q2ZP\n\n");
  assert.equal(parsed.html, "<p>Hello Ada</p>\n");
  assert.match(raw, /^Date: Fri, 04 Dec 2026 09:00:00 \+0000\r$/m);
  assert.match(raw, /Content-Transfer-Encoding: 7bit/);
  assert.doesNotMatch(raw.replace(/\r\n/g, ""), /\n/, "no bare line feeds");
});

test("non-ASCII subject, name and body survive (encoded words, base64)", async () => {
  const subject = "Einladung für Jürgen Größe — ein sehr langer Betreff mit Umlauten äöü 🎉";
  const { raw, parsed } = await roundTrip(
    mail({ subject, from: "Üsher Team <no-reply@usher.example>", text: "Grüße\n", html: "<p>Grüße</p>" }),
  );
  assert.equal(parsed.subject, subject);
  assert.deepEqual(parsed.from, { address: "no-reply@usher.example", name: "Üsher Team" });
  assert.equal(parsed.text, "Grüße\n");
  assert.equal(parsed.html, "<p>Grüße</p>");
  assert.match(raw, /Content-Transfer-Encoding: base64/);
  for (const line of raw.split("\r\n")) assert.ok(line.length <= 78, `line too long: ${line}`);
});

test("a body that contains the boundary or overlong lines goes in base64", async () => {
  const boundary = "=_usher_0190f3a27b6c7d1e8f001234567890ab";
  const text = `--${boundary}--\nrest`;
  const long = "x".repeat(1200);
  const { raw, parsed } = await roundTrip(mail({ text, html: long }));
  assert.equal(parsed.text, `--${boundary}--\nrest`);
  assert.equal(parsed.html, long);
  assert.equal(raw.split(`--${boundary}\r\n`).length, 3, "exactly two parts");
});

test("addresses: name forms, IDN domains to punycode, and no line breaks or brackets", () => {
  assert.deepEqual(parseAddress("a@b.c"), { address: "a@b.c", header: "a@b.c" });
  assert.deepEqual(parseAddress('"Doe, Jane" <j@b.c>'), { address: "j@b.c", header: '"Doe, Jane" <j@b.c>' });
  assert.equal(parseAddress("x@bücher.example").address, "x@xn--bcher-kva.example");
  assert.throws(() => parseAddress("a@b.c\r\nBcc: evil@x.y"));
  assert.throws(() => parseAddress("Name <a@b.c> <d@e.f>"));
  assert.throws(() => parseAddress(""));
});

test("a subject with a line break is refused, not sent as a second header", () => {
  assert.throws(() =>
    composeMessage(
      mail({ subject: "Hi\r\nBcc: evil@x.y" }),
      parseAddress("a@b.c"),
      parseAddress("d@e.f"),
      new Date(),
    ),
  );
});
