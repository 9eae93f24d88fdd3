import type { DescEnum } from "@bufbuild/protobuf";
import type { BoolRules, EnumRules } from "@zitadel/proto/validate/validate_pb.js";
import { BoolRulesSchema, EnumRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { goList } from "./go-fmt.ts";
import { firstOf, type ValueCheck, violation } from "./violation.ts";

/**
 * `validate.EnumRules` in the order of `templates/goshared/enum.go`: const, in/not_in,
 * defined_only.
 *
 * PGV prints enum values by name (`value must be in list [TYPE_A TYPE_B]`) only when the
 * field itself is a singular enum; for list items and map values protoc-gen-star reports no
 * enum type and PGV prints the numbers. `byName` selects between the two.
 */
export function compileEnumRules(
  raw: EnumRules,
  enumDesc: DescEnum,
  byName: boolean,
): ValueCheck | undefined {
  const r = explicit(EnumRulesSchema, raw);
  // PGV's `enumNamesMap`: the first name declared for a number wins (aliases).
  const names = new Map<number, string>();
  for (const value of enumDesc.values) if (!names.has(value.number)) names.set(value.number, value.name);
  const show = (n: number): string => (byName ? (names.get(n) ?? "") : String(n));

  const checks: ValueCheck[] = [];
  if (r.const !== undefined) {
    const want = r.const;
    const v = violation(`value must equal ${show(want)}`);
    checks.push((n) => (n !== want ? v : undefined));
  }
  if (r.in !== undefined) {
    const allowed = new Set(r.in);
    const v = violation(`value must be in list ${goList(r.in, show)}`);
    checks.push((n) => (allowed.has(n as number) ? undefined : v));
  } else if (r.notIn !== undefined) {
    const denied = new Set(r.notIn);
    const v = violation(`value must not be in list ${goList(r.notIn, show)}`);
    checks.push((n) => (denied.has(n as number) ? v : undefined));
  }
  if (r.definedOnly) {
    const v = violation("value must be one of the defined enum values");
    checks.push((n) => (names.has(n as number) ? undefined : v));
  }
  return firstOf(checks);
}

/** `validate.BoolRules`: only `const` exists (`value must equal true`). */
export function compileBoolRules(raw: BoolRules): ValueCheck | undefined {
  const r = explicit(BoolRulesSchema, raw);
  if (r.const === undefined) return undefined;
  const want = r.const;
  const v = violation(`value must equal ${want}`);
  return (b) => (b !== want ? v : undefined);
}
