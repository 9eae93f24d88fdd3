import { type ProbeField, type Rules, Type, testWording } from "./probe-schema.test-support.ts";

/** String rules' wording and order, per PGV's `templates/goshared/string.go`. */

const str: ProbeField = { type: Type.STRING };
const s = (value: Rules["type"] & { case: "string" }) => ({ type: value });

testWording({
  "string const": [str, s({ case: "string", value: { const: "ok" } }), "no", ": value must equal ok"],
  "string in": [str, s({ case: "string", value: { in: ["a", "b"] } }), "c", ": value must be in list [a b]"],
  "string not_in": [
    str,
    s({ case: "string", value: { notIn: ["x"] } }),
    "x",
    ": value must not be in list [x]",
  ],
  "min_len = max_len": [
    str,
    s({ case: "string", value: { minLen: 2n, maxLen: 2n } }),
    "a",
    ": value length must be 2 runes",
  ],
  min_len: [
    str,
    s({ case: "string", value: { minLen: 3n } }),
    "ab",
    ": value length must be at least 3 runes",
  ],
  "max_len 0": [
    str,
    s({ case: "string", value: { maxLen: 0n } }),
    "a",
    ": value length must be at most 0 runes",
  ],
  len_bytes: [str, s({ case: "string", value: { lenBytes: 3n } }), "é", ": value length must be 3 bytes"],
  "min/max_bytes": [
    str,
    s({ case: "string", value: { minBytes: 0n, maxBytes: 1n } }),
    "é",
    ": value length must be between 0 and 1 bytes, inclusive",
  ],
  prefix: [str, s({ case: "string", value: { prefix: "ab" } }), "xab", ': value does not have prefix "ab"'],
  "suffix quoted": [
    str,
    s({ case: "string", value: { suffix: '"q"' } }),
    "q",
    ': value does not have suffix "\\"q\\""',
  ],
  contains: [
    str,
    s({ case: "string", value: { contains: "\\" } }),
    "x",
    ': value does not contain substring "\\\\"',
  ],
  not_contains: [
    str,
    s({ case: "string", value: { notContains: "bad" } }),
    "so bad",
    ': value contains substring "bad"',
  ],
  pattern: [
    str,
    s({ case: "string", value: { pattern: "^[a-z]+\\d$" } }),
    "abc",
    ': value does not match regex pattern "^[a-z]+\\\\d$"',
  ],
  "uri relative": [
    str,
    s({ case: "string", value: { wellKnown: { case: "uri", value: true } } }),
    "/p",
    ": value must be absolute",
  ],
  "uri invalid": [
    str,
    s({ case: "string", value: { wellKnown: { case: "uri", value: true } } }),
    "http://a b",
    ': value must be a valid URI | caused by: parse "http://a b": invalid character " " in host name',
  ],
  "uri_ref relative": [
    str,
    s({ case: "string", value: { wellKnown: { case: "uriRef", value: true } } }),
    "/p",
    undefined,
  ],
  uuid: [
    str,
    s({ case: "string", value: { wellKnown: { case: "uuid", value: true } } }),
    "nope",
    ": value must be a valid UUID | caused by: invalid uuid format",
  ],
  hostname: [
    str,
    s({ case: "string", value: { wellKnown: { case: "hostname", value: true } } }),
    "-a",
    ": value must be a valid hostname | caused by: hostname parts cannot begin with hyphens",
  ],
  address: [
    str,
    s({ case: "string", value: { wellKnown: { case: "address", value: true } } }),
    "no way",
    ": value must be a valid hostname, or ip address",
  ],
  "address ip": [
    str,
    s({ case: "string", value: { wellKnown: { case: "address", value: true } } }),
    "::1",
    undefined,
  ],
  ipv4: [
    str,
    s({ case: "string", value: { wellKnown: { case: "ipv4", value: true } } }),
    "::1",
    ": value must be a valid IPv4 address",
  ],
  ipv6: [
    str,
    s({ case: "string", value: { wellKnown: { case: "ipv6", value: true } } }),
    "1.2.3.4",
    ": value must be a valid IPv6 address",
  ],
  ip: [
    str,
    s({ case: "string", value: { wellKnown: { case: "ip", value: true } } }),
    "x",
    ": value must be a valid IP address",
  ],
  "ignore_empty empty": [str, s({ case: "string", value: { minLen: 5n, ignoreEmpty: true } }), "", undefined],
  "ignore_empty set": [
    str,
    s({ case: "string", value: { minLen: 5n, ignoreEmpty: true } }),
    "abc",
    ": value length must be at least 5 runes",
  ],
});
