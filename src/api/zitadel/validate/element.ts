import type { DescEnum, DescMessage, ScalarType } from "@bufbuild/protobuf";
import type { FieldRules } from "@zitadel/proto/validate/validate_pb.js";
import { compileDurationRules } from "./duration-rules.ts";
import { compileEnumRules } from "./enum-rules.ts";
import { compileEmbedded, type ResolveMessage } from "./message-rules.ts";
import { compileScalarRules } from "./scalar-rules.ts";
import type { ValueCheck } from "./violation.ts";

/**
 * One value's type: a singular field or a list item. PGV resolves a field's rules against
 * this (`resolveRules` in `templates/shared/context.go`).
 */
export type Element =
  | { readonly kind: "scalar"; readonly scalar: ScalarType }
  | { readonly kind: "enum"; readonly enum: DescEnum }
  | { readonly kind: "message"; readonly message: DescMessage };

/**
 * The check for one value of `element` under `rules` (undefined when nothing can fail).
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
      return type.case === "enum" ? compileEnumRules(type.value, element.enum) : undefined;
    case "message":
      if (type.case === "duration" && element.message.typeName === "google.protobuf.Duration") {
        return compileDurationRules(type.value);
      }
      return compileEmbedded(element.message, rules?.message, resolve);
  }
}
