import type { DescMessage, Message } from "@bufbuild/protobuf";
import { isFieldSet } from "@bufbuild/protobuf";

/** The fields of a rules message, minus protobuf-es bookkeeping. */
type RuleFields<T> = { [K in keyof T as K extends `$${string}` ? never : K]?: T[K] };

/**
 * The rule fields that were actually written in the `.proto`, everything else left out.
 *
 * validate.proto is proto2, and PGV's templates test presence (`{{ if $r.MinLen }}` is a
 * nil-pointer test), so `min_len: 0` is a rule while an absent `min_len` is not. protobuf-es
 * serves defaults for unset proto2 fields from the prototype, which would hide that
 * difference — hence this copy that only holds set fields. Repeated fields count as set when
 * non-empty, matching Go templates, where an empty slice is false. Oneof members are not
 * copied: callers read the oneof (`wellKnown`, `type`) directly.
 *
 * Called while compiling, never per request.
 */
export function explicit<T extends Message>(schema: DescMessage, rules: T): RuleFields<T> {
  const out: Record<string, unknown> = {};
  const source = rules as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    if (field.oneof !== undefined) continue;
    if (isFieldSet(rules, field)) out[field.localName] = source[field.localName];
  }
  return out as RuleFields<T>;
}
