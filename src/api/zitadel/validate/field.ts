import type { DescField } from "@bufbuild/protobuf";
import { getOption, hasOption } from "@bufbuild/protobuf";
import type { FieldRules } from "@zitadel/proto/validate/validate_pb.js";
import { rules as rulesExtension } from "@zitadel/proto/validate/validate_pb.js";
import { compileElement, type Element } from "./element.ts";
import type { ResolveMessage } from "./message-rules.ts";
import { compileRepeated } from "./repeated-rules.ts";
import type { ValueCheck } from "./violation.ts";

/**
 * The check for one field's whole value — a scalar, a sub-message or a list — built from the
 * field's `(validate.rules)` option. Undefined when nothing about the field can fail, so the
 * message plan leaves it out. No served request has a map field; a rule on one would be
 * reported by `assertRulesSupported` at start.
 */
export function compileField(field: DescField, resolve: ResolveMessage): ValueCheck | undefined {
  const rules: FieldRules | undefined = hasOption(field, rulesExtension)
    ? getOption(field, rulesExtension)
    : undefined;
  switch (field.fieldKind) {
    case "scalar":
      return compileElement({ kind: "scalar", scalar: field.scalar }, rules, resolve);
    case "enum":
      return compileElement({ kind: "enum", enum: field.enum }, rules, resolve);
    case "message":
      return compileElement({ kind: "message", message: field.message }, rules, resolve);
    case "list": {
      const repeated = rules?.type.case === "repeated" ? rules.type.value : undefined;
      // Rules of another kind on a list would not compile in PGV's Go output; skip them.
      if (rules?.type.case !== undefined && repeated === undefined) return undefined;
      const element: Element =
        field.listKind === "scalar"
          ? { kind: "scalar", scalar: field.scalar }
          : field.listKind === "enum"
            ? { kind: "enum", enum: field.enum }
            : { kind: "message", message: field.message };
      return compileRepeated(repeated, compileElement(element, repeated?.items, resolve));
    }
    case "map":
      return undefined;
  }
}
