import type { StringRules } from "@zitadel/proto/validate/validate_pb.js";
import { StringRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { goList, goQuote } from "./go-fmt.ts";
import { ipFamily } from "./ip-address.ts";
import { emailError, hostnameError, uuidError } from "./known-formats.ts";
import { lengthRule } from "./length-rule.ts";
import { compileRe2 } from "./re2.ts";
import { runeCount, utf8Length } from "./runes.ts";
import { parseGoUrl } from "./url-parse.ts";
import { firstOf, type ValueCheck, type Violation, violation } from "./violation.ts";

type StringCheck = (s: string) => Violation | undefined;

/**
 * `validate.StringRules` compiled into one check, testing in the order of PGV's Go template
 * (`templates/goshared/string.go`): const, in/not_in, rune lengths, byte lengths, prefix,
 * suffix, contains, not_contains, the well-known format, pattern — all skipped for "" when
 * `ignore_empty` is set.
 *
 * Skipped like PGV's Go generator skips it: `well_known_regex` (and its `strict`), which the
 * Go template never emits.
 */
export function compileStringRules(raw: StringRules): ValueCheck | undefined {
  const r = explicit(StringRulesSchema, raw);
  const checks: StringCheck[] = [];
  const add = (check: StringCheck | undefined): void => {
    if (check !== undefined) checks.push(check);
  };

  if (r.const !== undefined) {
    const want = r.const;
    const v = violation(`value must equal ${want}`);
    add((s) => (s !== want ? v : undefined));
  }
  if (r.in !== undefined) {
    const allowed = new Set(r.in);
    const v = violation(`value must be in list ${goList(r.in)}`);
    add((s) => (allowed.has(s) ? undefined : v));
  } else if (r.notIn !== undefined) {
    const denied = new Set(r.notIn);
    const v = violation(`value must not be in list ${goList(r.notIn)}`);
    add((s) => (denied.has(s) ? v : undefined));
  }
  add(lengthRule({ len: r.len, min: r.minLen, max: r.maxLen }, runeCount, "runes"));
  add(lengthRule({ len: r.lenBytes, min: r.minBytes, max: r.maxBytes }, utf8Length, "bytes"));
  if (r.prefix !== undefined) {
    const prefix = r.prefix;
    const v = violation(`value does not have prefix ${goQuote(prefix)}`);
    add((s) => (s.startsWith(prefix) ? undefined : v));
  }
  if (r.suffix !== undefined) {
    const suffix = r.suffix;
    const v = violation(`value does not have suffix ${goQuote(suffix)}`);
    add((s) => (s.endsWith(suffix) ? undefined : v));
  }
  if (r.contains !== undefined) {
    const part = r.contains;
    const v = violation(`value does not contain substring ${goQuote(part)}`);
    add((s) => (s.includes(part) ? undefined : v));
  }
  if (r.notContains !== undefined) {
    const part = r.notContains;
    const v = violation(`value contains substring ${goQuote(part)}`);
    add((s) => (s.includes(part) ? v : undefined));
  }
  add(wellKnownCheck(raw.wellKnown));
  if (r.pattern !== undefined) {
    const re = compileRe2(r.pattern);
    const v = violation(`value does not match regex pattern ${goQuote(r.pattern)}`);
    if (re !== undefined) add((s) => (re.test(s) ? undefined : v));
  }

  const check = firstOf(checks);
  if (check === undefined) return undefined;
  if (r.ignoreEmpty) return ((s: string) => (s === "" ? undefined : check(s))) as ValueCheck;
  return check as ValueCheck;
}

/** Wraps a `(string) => cause` helper the way PGV's `errCause` does. */
const withCause =
  (reason: string, cause: (s: string) => string | undefined): StringCheck =>
  (s) => {
    const c = cause(s);
    return c === undefined ? undefined : violation(reason, c);
  };

function wellKnownCheck(wellKnown: StringRules["wellKnown"]): StringCheck | undefined {
  // Boolean formats only apply when set to true, as the template tests `GetEmail` etc.
  if (wellKnown.case === undefined || wellKnown.value !== true) return undefined;
  switch (wellKnown.case) {
    case "ip": {
      const v = violation("value must be a valid IP address");
      return (s) => (ipFamily(s) === 0 ? v : undefined);
    }
    case "ipv4": {
      const v = violation("value must be a valid IPv4 address");
      return (s) => (ipFamily(s) !== 4 ? v : undefined);
    }
    case "ipv6": {
      const v = violation("value must be a valid IPv6 address");
      return (s) => (ipFamily(s) !== 6 ? v : undefined);
    }
    case "email":
      return withCause("value must be a valid email address", emailError);
    case "hostname":
      return withCause("value must be a valid hostname", hostnameError);
    case "address": {
      const v = violation("value must be a valid hostname, or ip address");
      return (s) => (hostnameError(s) !== undefined && ipFamily(s) === 0 ? v : undefined);
    }
    case "uri": {
      const notAbsolute = violation("value must be absolute");
      return (s) => {
        const parsed = parseGoUrl(s);
        if ("error" in parsed) return violation("value must be a valid URI", parsed.error);
        return parsed.absolute ? undefined : notAbsolute;
      };
    }
    case "uriRef":
      return withCause("value must be a valid URI", (s) => {
        const parsed = parseGoUrl(s);
        return "error" in parsed ? parsed.error : undefined;
      });
    case "uuid":
      return withCause("value must be a valid UUID", uuidError);
    default:
      return undefined;
  }
}
