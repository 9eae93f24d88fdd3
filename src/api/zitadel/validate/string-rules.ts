import type { StringRules } from "@zitadel/proto/validate/validate_pb.js";
import { StringRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { goQuote } from "./go-fmt.ts";
import { emailError } from "./known-formats.ts";
import { lengthRule } from "./length-rule.ts";
import { runeCount } from "./runes.ts";
import { firstOf, type ValueCheck, type Violation, violation } from "./violation.ts";

type StringCheck = (s: string) => Violation | undefined;

/**
 * The supported `validate.StringRules` (`string.min_len`, `max_len`, `prefix`, `email`,
 * `ignore_empty`; see supported.ts) compiled into one check, in the order of PGV's Go template
 * (`templates/goshared/string.go`): rune lengths, prefix, the well-known format — all skipped
 * for "" when `ignore_empty` is set.
 */
export function compileStringRules(raw: StringRules): ValueCheck | undefined {
  const r = explicit(StringRulesSchema, raw);
  const checks: StringCheck[] = [];
  const add = (check: StringCheck | undefined): void => {
    if (check !== undefined) checks.push(check);
  };

  add(lengthRule({ min: r.minLen, max: r.maxLen }, runeCount, "runes"));
  if (r.prefix !== undefined) {
    const prefix = r.prefix;
    const v = violation(`value does not have prefix ${goQuote(prefix)}`);
    add((s) => (s.startsWith(prefix) ? undefined : v));
  }
  // As PGV's template tests `GetEmail()`, `email: false` is no rule.
  if (raw.wellKnown.case === "email" && raw.wellKnown.value) {
    add((s) => {
      const cause = emailError(s);
      return cause === undefined ? undefined : violation("value must be a valid email address", cause);
    });
  }

  const check = firstOf(checks);
  if (check === undefined) return undefined;
  if (r.ignoreEmpty) return ((s: string) => (s === "" ? undefined : check(s))) as ValueCheck;
  return check as ValueCheck;
}
