import { type ProbeField, type Rules, Type, testWording } from "./probe-schema.test-support.ts";

/** String rules' wording and order, per PGV's `templates/goshared/string.go`. */

const str: ProbeField = { type: Type.STRING };
const s = (value: Rules["type"] & { case: "string" }) => ({ type: value });

testWording({
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
  prefix: [str, s({ case: "string", value: { prefix: "ab" } }), "xab", ': value does not have prefix "ab"'],
  email: [
    str,
    s({ case: "string", value: { wellKnown: { case: "email", value: true } } }),
    "ada@",
    ": value must be a valid email address | caused by: mail: missing '@' or angle-addr",
  ],
  "email false is no rule": [
    str,
    s({ case: "string", value: { wellKnown: { case: "email", value: false } } }),
    "ada@",
    undefined,
  ],
  "ignore_empty empty": [str, s({ case: "string", value: { minLen: 5n, ignoreEmpty: true } }), "", undefined],
  "ignore_empty set": [
    str,
    s({ case: "string", value: { minLen: 5n, ignoreEmpty: true } }),
    "abc",
    ": value length must be at least 5 runes",
  ],
});
