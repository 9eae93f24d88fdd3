import type { DescEnum } from "@bufbuild/protobuf";
import type { BoolRules, EnumRules } from "@zitadel/proto/validate/validate_pb.js";
import { BoolRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { type ValueCheck, violation } from "./violation.ts";

/** The supported `validate.EnumRules`: `defined_only` (`templates/goshared/enum.go`). */
export function compileEnumRules(raw: EnumRules, enumDesc: DescEnum): ValueCheck | undefined {
  if (!raw.definedOnly) return undefined;
  const defined = new Set(enumDesc.values.map((v) => v.number));
  const v = violation("value must be one of the defined enum values");
  return (n) => (defined.has(n as number) ? undefined : v);
}

/** `validate.BoolRules`: only `const` exists (`value must equal true`). */
export function compileBoolRules(raw: BoolRules): ValueCheck | undefined {
  const r = explicit(BoolRulesSchema, raw);
  if (r.const === undefined) return undefined;
  const want = r.const;
  const v = violation(`value must equal ${want}`);
  return (b) => (b !== want ? v : undefined);
}
