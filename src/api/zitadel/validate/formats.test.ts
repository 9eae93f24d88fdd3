import assert from "node:assert/strict";
import { test } from "node:test";
import { isGoIP } from "./ip-address.ts";
import { emailError, hostnameError } from "./known-formats.ts";
import { parseMailAddress } from "./mail-address.ts";

/**
 * The well-known string formats. Expected values were taken from Go (net/mail with the
 * modern phrase rules) running PGV's helper functions on the same inputs.
 */

const emails: Array<[string, string | undefined]> = [
  ["ada@example.com", undefined],
  ["Ada Lovelace <ada@example.com>", undefined],
  ["<ada@example.com>", undefined],
  ["ada@example.com (Ada)", undefined],
  ['"ada lovelace"@example.com', undefined],
  ["ada@EXAMPLE.com", undefined],
  ["ada@example.com.", "mail: missing '@' or angle-addr"],
  ["g: ada@example.com;", undefined],
  ["", "mail: no address"],
  ["ada", "mail: missing '@' or angle-addr"],
  ["Ada Lovelace", "mail: no angle-addr"],
  ["ada@", "mail: missing '@' or angle-addr"],
  ["@example.com", "mail: missing word in phrase: mail: invalid string"],
  ["a@b@c.com", 'mail: expected single address, got "@c.com"'],
  [".ada@example.com", "mail: missing '@' or angle-addr"],
  ['""@example.com', "mail: missing '@' or angle-addr"],
  ["<ada@example.com", "mail: unclosed angle-addr"],
  ["ada@example.com (unclosed", "mail: misformatted parenthetical comment"],
  ["g: a@b.com, c@d.com;", "mail: group with multiple addresses"],
  ["g:;", "mail: empty group"],
  ["=?koi8-r?q?abc?= <a@b.com>", 'mail: missing word in phrase: charset not supported: "koi8-r"'],
  ["ada@-example.com", "hostname parts cannot begin with hyphens"],
  ["ada@example-.com", "hostname parts cannot end with hyphens"],
  ["ada@example..com", "mail: missing '@' or angle-addr"],
  ["ada@exa_mple.com", 'hostname parts can only contain alphanumeric characters or hyphens, got "_"'],
  ["ada@bücher.de", 'hostname parts can only contain alphanumeric characters or hyphens, got "ü"'],
  ["ada@[192.0.2.1]", 'hostname parts can only contain alphanumeric characters or hyphens, got "["'],
  ["ada@[1.2.3]", "mail: missing '@' or angle-addr"],
  [`${"a".repeat(64)}@example.com`, undefined],
  [`${"a".repeat(65)}@example.com`, "email address local phrase cannot exceed 64 characters"],
  [`a@${"b".repeat(64)}.com`, "hostname part must be non-empty and cannot exceed 63 characters"],
  [`a@${`${"b".repeat(62)}.`.repeat(4)}com`, "email addresses cannot exceed 254 characters"],
];
for (const [input, want] of emails) {
  test(`email ${JSON.stringify(input)}`, () => assert.equal(emailError(input), want));
}

test("net/mail returns the bare address, without display name or quotes", () => {
  assert.deepEqual(parseMailAddress("Ada <ada@example.com>"), { address: "ada@example.com" });
  assert.deepEqual(parseMailAddress('"a b"@example.com'), { address: "a b@example.com" });
  assert.deepEqual(parseMailAddress("a@[::1]"), { address: "a@[::1]" });
});

test("hostnames", () => {
  assert.equal(hostnameError("example.com"), undefined);
  assert.equal(hostnameError("EXAMPLE.com."), undefined);
  assert.equal(hostnameError("xn--bcher-kva.de"), undefined);
  assert.equal(hostnameError(""), "hostname part must be non-empty and cannot exceed 63 characters");
  assert.equal(
    hostnameError("a b"),
    'hostname parts can only contain alphanumeric characters or hyphens, got " "',
  );
  assert.equal(hostnameError(`${"a".repeat(254)}`), "hostname cannot exceed 253 characters");
});

test("IP addresses in domain literals, as Go's net.ParseIP sees them", () => {
  assert.equal(isGoIP("192.0.2.1"), true);
  assert.equal(isGoIP("::ffff:192.0.2.1"), true);
  assert.equal(isGoIP("2001:db8::1"), true);
  assert.equal(isGoIP("01.2.3.4"), false);
  assert.equal(isGoIP("fe80::1%eth0"), false);
});
