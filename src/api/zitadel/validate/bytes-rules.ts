import type { BytesRules } from "@zitadel/proto/validate/validate_pb.js";
import { BytesRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { goByteStr, goBytes, goList, goQuote } from "./go-fmt.ts";
import { ipBytesFamily } from "./ip-address.ts";
import { lengthRule } from "./length-rule.ts";
import { compileRe2 } from "./re2.ts";
import { firstOf, type ValueCheck, type Violation, violation } from "./violation.ts";

type BytesCheck = (b: Uint8Array) => Violation | undefined;

/** Bytes as a binary string, one char per byte: comparable, hashable, searchable. */
const latin1 = (b: Uint8Array): string => {
  let s = "";
  for (const byte of b) s += String.fromCharCode(byte);
  return s;
};

/**
 * `validate.BytesRules` in the order of PGV's `templates/goshared/bytes.go`: lengths, prefix,
 * suffix, contains, in/not_in, const, ip/ipv4/ipv6, pattern — skipped for empty input under
 * `ignore_empty`.
 *
 * As in Go templates, an empty `const`/`prefix`/`suffix`/`contains` is no rule at all (an
 * empty `[]byte` is false there). `pattern` matches the bytes decoded as UTF-8.
 */
export function compileBytesRules(raw: BytesRules): ValueCheck | undefined {
  const r = explicit(BytesRulesSchema, raw);
  const checks: BytesCheck[] = [];
  const add = (check: BytesCheck | undefined): void => {
    if (check !== undefined) checks.push(check);
  };
  const given = (b: Uint8Array | undefined): b is Uint8Array => b !== undefined && b.length > 0;

  add(lengthRule({ len: r.len, min: r.minLen, max: r.maxLen }, (b: Uint8Array) => b.length, "bytes"));
  if (given(r.prefix)) {
    const prefix = latin1(r.prefix);
    const v = violation(`value does not have prefix ${goByteStr(r.prefix)}`);
    add((b) => (latin1(b).startsWith(prefix) ? undefined : v));
  }
  if (given(r.suffix)) {
    const suffix = latin1(r.suffix);
    const v = violation(`value does not have suffix ${goByteStr(r.suffix)}`);
    add((b) => (latin1(b).endsWith(suffix) ? undefined : v));
  }
  if (given(r.contains)) {
    const part = latin1(r.contains);
    const v = violation(`value does not contain ${goByteStr(r.contains)}`);
    add((b) => (latin1(b).includes(part) ? undefined : v));
  }
  if (r.in !== undefined) {
    const allowed = new Set(r.in.map(latin1));
    const v = violation(`value must be in list ${goList(r.in, goBytes)}`);
    add((b) => (allowed.has(latin1(b)) ? undefined : v));
  } else if (r.notIn !== undefined) {
    const denied = new Set(r.notIn.map(latin1));
    const v = violation(`value must not be in list ${goList(r.notIn, goBytes)}`);
    add((b) => (denied.has(latin1(b)) ? v : undefined));
  }
  if (given(r.const)) {
    const want = latin1(r.const);
    const v = violation(`value must equal ${goBytes(r.const)}`);
    add((b) => (latin1(b) === want ? undefined : v));
  }
  add(ipCheck(raw.wellKnown));
  if (r.pattern !== undefined) {
    const re = compileRe2(r.pattern);
    const v = violation(`value does not match regex pattern ${goQuote(r.pattern)}`);
    const decoder = new TextDecoder();
    if (re !== undefined) add((b) => (re.test(decoder.decode(b)) ? undefined : v));
  }

  const check = firstOf(checks);
  if (check === undefined) return undefined;
  if (r.ignoreEmpty) return ((b: Uint8Array) => (b.length === 0 ? undefined : check(b))) as ValueCheck;
  return check as ValueCheck;
}

function ipCheck(wellKnown: BytesRules["wellKnown"]): BytesCheck | undefined {
  if (wellKnown.case === undefined || wellKnown.value !== true) return undefined;
  switch (wellKnown.case) {
    case "ip": {
      const v = violation("value must be a valid IP address");
      return (b) => (ipBytesFamily(b) === 0 ? v : undefined);
    }
    case "ipv4": {
      const v = violation("value must be a valid IPv4 address");
      return (b) => (ipBytesFamily(b) !== 4 ? v : undefined);
    }
    case "ipv6": {
      const v = violation("value must be a valid IPv6 address");
      return (b) => (ipBytesFamily(b) !== 6 ? v : undefined);
    }
    default:
      return undefined;
  }
}
