import type { DescMessage, Message } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import type { FieldRules } from "@zitadel/proto/validate/validate_pb.js";
import {
  DoubleRulesSchema,
  Fixed32RulesSchema,
  Fixed64RulesSchema,
  FloatRulesSchema,
  Int32RulesSchema,
  Int64RulesSchema,
  SFixed32RulesSchema,
  SFixed64RulesSchema,
  SInt32RulesSchema,
  SInt64RulesSchema,
  UInt32RulesSchema,
  UInt64RulesSchema,
} from "@zitadel/proto/validate/validate_pb.js";
import { compileBytesRules } from "./bytes-rules.ts";
import { compileBoolRules } from "./enum-rules.ts";
import {
  compileNumberRules,
  doubleKind,
  floatKind,
  int32Kind,
  int64Kind,
  type NumericKind,
} from "./number-rules.ts";
import { compileStringRules } from "./string-rules.ts";
import type { ValueCheck } from "./violation.ts";

/** Each numeric rule case: the scalar type it belongs to, its schema, and its value kind. */
const numeric: Readonly<Record<string, readonly [ScalarType, DescMessage, NumericKind]>> = {
  float: [ScalarType.FLOAT, FloatRulesSchema, floatKind],
  double: [ScalarType.DOUBLE, DoubleRulesSchema, doubleKind],
  int32: [ScalarType.INT32, Int32RulesSchema, int32Kind],
  int64: [ScalarType.INT64, Int64RulesSchema, int64Kind],
  uint32: [ScalarType.UINT32, UInt32RulesSchema, int32Kind],
  uint64: [ScalarType.UINT64, UInt64RulesSchema, int64Kind],
  sint32: [ScalarType.SINT32, SInt32RulesSchema, int32Kind],
  sint64: [ScalarType.SINT64, SInt64RulesSchema, int64Kind],
  fixed32: [ScalarType.FIXED32, Fixed32RulesSchema, int32Kind],
  fixed64: [ScalarType.FIXED64, Fixed64RulesSchema, int64Kind],
  sfixed32: [ScalarType.SFIXED32, SFixed32RulesSchema, int32Kind],
  sfixed64: [ScalarType.SFIXED64, SFixed64RulesSchema, int64Kind],
};

/**
 * The check for one scalar value (a singular field, a list item, a map key or value) under
 * the type-specific part of its `FieldRules`.
 *
 * Rules for another type than the field's (string rules on an int32) would not compile in
 * PGV's Go output; they are ignored here.
 */
export function compileScalarRules(type: FieldRules["type"], scalar: ScalarType): ValueCheck | undefined {
  switch (type.case) {
    case "string":
      return scalar === ScalarType.STRING ? compileStringRules(type.value) : undefined;
    case "bytes":
      return scalar === ScalarType.BYTES ? compileBytesRules(type.value) : undefined;
    case "bool":
      return scalar === ScalarType.BOOL ? compileBoolRules(type.value) : undefined;
    case undefined:
      return undefined;
    default: {
      const entry = numeric[type.case];
      if (entry === undefined || entry[0] !== scalar) return undefined;
      return compileNumberRules(entry[1], type.value as Message, entry[2]);
    }
  }
}

/** Whether a rule case is one of the scalar kinds handled by {@link compileScalarRules}. */
export function isScalarRuleCase(ruleCase: FieldRules["type"]["case"]): boolean {
  return ruleCase === "string" || ruleCase === "bytes" || ruleCase === "bool" || (ruleCase ?? "") in numeric;
}
