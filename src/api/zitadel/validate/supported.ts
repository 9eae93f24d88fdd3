import type { DescField, DescMessage, DescMethod, Message } from "@bufbuild/protobuf";
import { getOption, hasOption, isFieldSet } from "@bufbuild/protobuf";
import {
  disabled,
  FieldRulesSchema,
  ignored,
  required,
  rules as rulesExtension,
} from "@zitadel/proto/validate/validate_pb.js";
import type { ServiceBinding } from "../handler.ts";

/**
 * The protoc-gen-validate rules this validator implements: exactly those the request messages
 * of the methods Usher serves carry (see `rulesInUse`). A served method with any other rule
 * stops the start (`assertRulesSupported`) instead of going unchecked; implementing it then
 * means adding it here and in the matching `*-rules.ts`.
 */
export const SUPPORTED_RULES: ReadonlySet<string> = new Set([
  "bool.const",
  "bytes.max_len",
  "bytes.min_len",
  "duration.const",
  "duration.gte",
  "duration.lte",
  "enum.defined_only",
  "message.required",
  "oneof.required",
  "repeated.max_items",
  "string.email",
  "string.ignore_empty",
  "string.max_len",
  "string.min_len",
  "string.prefix",
]);

/** One rule found in a descriptor: its name (`string.min_len`) and where (`pkg.Msg.field`). */
export interface RuleUse {
  readonly rule: string;
  readonly where: string;
}

/** Names of the fields set in a rule message, nested rule messages (`repeated.items`) flattened. */
function setRules(rules: Message, schema: DescMessage, prefix: string): string[] {
  return schema.fields.flatMap((field) => {
    if (!isFieldSet(rules as never, field)) return [];
    const name = `${prefix}.${field.name}`;
    if (field.fieldKind !== "message" || field.message.typeName.startsWith("google.protobuf.")) return [name];
    const value = (rules as unknown as Record<string, unknown>)[field.oneof?.localName ?? field.localName];
    const nested = field.oneof ? (value as { value: Message }).value : (value as Message);
    return setRules(nested, field.message, name);
  });
}

/** The rules of one field's `(validate.rules)` option. */
function fieldRules(field: DescField): string[] {
  if (!hasOption(field, rulesExtension)) return [];
  const rules = getOption(field, rulesExtension);
  const names = setRules(rules, FieldRulesSchema, "").map((n) => n.slice(1));
  // `string` rules on a `google.protobuf.StringValue` field: a wrapper rule, a kind of its own.
  const wrapper = field.fieldKind === "message" && rules.type.case !== undefined;
  const isWkt = ["duration", "timestamp", "any"].includes(rules.type.case ?? "");
  return names.map((n) => (wrapper && !isWkt && !n.startsWith("message.") ? `wrapper.${n}` : n));
}

/** Every rule in `message` and the messages it contains, each descriptor visited once. */
function collect(message: DescMessage, seen: Set<DescMessage>, out: RuleUse[]): void {
  if (seen.has(message)) return;
  seen.add(message);
  if (hasOption(message, disabled)) out.push({ rule: "message.disabled", where: message.typeName });
  if (hasOption(message, ignored)) out.push({ rule: "message.ignored", where: message.typeName });
  for (const oneof of message.oneofs) {
    if (hasOption(oneof, required))
      out.push({ rule: "oneof.required", where: `${message.typeName}.${oneof.name}` });
  }
  for (const field of message.fields) {
    for (const rule of fieldRules(field)) out.push({ rule, where: `${message.typeName}.${field.name}` });
    if (field.fieldKind === "map" && field.mapKind === "message") collect(field.message, seen, out);
    else if (field.message !== undefined) collect(field.message, seen, out);
  }
}

/** The rules the request messages of `methods` carry, anywhere inside them. */
export function rulesInUse(methods: Iterable<DescMethod>): RuleUse[] {
  const seen = new Set<DescMessage>();
  const out: RuleUse[] = [];
  for (const method of methods) collect(method.input, seen, out);
  return out;
}

/**
 * Throws, listing each rule and where it is, when a served method's request carries a rule
 * this validator does not implement: Usher must not answer as if it had checked it.
 */
export function assertRulesSupported(methods: Iterable<DescMethod>): void {
  const missing = rulesInUse(methods).filter((u) => !SUPPORTED_RULES.has(u.rule));
  if (missing.length === 0) return;
  const list = missing.map((u) => `${u.rule} (${u.where})`).join(", ");
  throw new Error(`request validation does not support these rules of served methods: ${list}`);
}

/** The methods `bindings` implement (the others answer UNIMPLEMENTED and are never validated). */
export function servedMethods(bindings: readonly ServiceBinding[]): DescMethod[] {
  return bindings.flatMap((b) => b.service.methods.filter((m) => Object.hasOwn(b.handlers, m.localName)));
}
