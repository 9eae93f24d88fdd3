import type { DescEnum, DescMessage, ScalarType } from "@bufbuild/protobuf";
import type { FieldRules } from "@zitadel/proto/validate/validate_pb.js";
import { compileEnumRules } from "./enum-rules.ts";
import { compileEmbedded, compileWrapper, type ResolveMessage } from "./message-rules.ts";
import { compileScalarRules, isScalarRuleCase } from "./scalar-rules.ts";
import type { ValueCheck } from "./violation.ts";
import { compileAnyRules, compileDurationRules, compileTimestampRules } from "./wkt-rules.ts";

/**
 * One value's type: a singular field, a list item or a map value. PGV resolves a field's rules
 * against this (`resolveRules` in `templates/shared/context.go`).
 */
export type Element =
  | { readonly kind: "scalar"; readonly scalar: ScalarType }
  /** `byName`: print enum values by name — only for singular enum fields (see enum-rules.ts). */
  | { readonly kind: "enum"; readonly enum: DescEnum; readonly byName: boolean }
  | { readonly kind: "message"; readonly message: DescMessage };

const wrappers = new Set([
  "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
  "google.protobuf.BoolValue",
  "google.protobuf.StringValue",
  "google.protobuf.BytesValue",
]);

/**
 * The check for one value of `element` under `rules` (undefined when the field has none).
 * Message values are always considered, even without rules: PGV validates every embedded
 * message unless told to skip it.
 */
export function compileElement(
  element: Element,
  rules: FieldRules | undefined,
  resolve: ResolveMessage,
): ValueCheck | undefined {
  const type = rules?.type ?? { case: undefined };
  switch (element.kind) {
    case "scalar":
      return compileScalarRules(type, element.scalar);
    case "enum":
      return type.case === "enum" ? compileEnumRules(type.value, element.enum, element.byName) : undefined;
    case "message":
      return compileMessageElement(element.message, rules, resolve);
  }
}

function compileMessageElement(
  message: DescMessage,
  rules: FieldRules | undefined,
  resolve: ResolveMessage,
): ValueCheck | undefined {
  const type = rules?.type ?? { case: undefined };
  switch (type.case) {
    case "duration":
      if (message.typeName === "google.protobuf.Duration") return compileDurationRules(type.value);
      break;
    case "timestamp":
      if (message.typeName === "google.protobuf.Timestamp") return compileTimestampRules(type.value);
      break;
    case "any":
      if (message.typeName === "google.protobuf.Any") return compileAnyRules(type.value);
      break;
    default: {
      const valueField = message.fields[0];
      if (isScalarRuleCase(type.case) && wrappers.has(message.typeName) && valueField?.scalar !== undefined) {
        return compileWrapper(compileScalarRules(type, valueField.scalar), rules?.message);
      }
    }
  }
  return compileEmbedded(message, rules?.message, resolve);
}
