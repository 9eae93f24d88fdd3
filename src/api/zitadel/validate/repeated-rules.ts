import type { RepeatedRules } from "@zitadel/proto/validate/validate_pb.js";
import { RepeatedRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { countRule } from "./count-rule.ts";
import { explicit } from "./explicit.ts";
import { atIndex, type ValueCheck, violation } from "./violation.ts";

/** Bytes compare by content, like Go's `string(item)` map key; NaN never equals itself. */
function uniqueKey(item: unknown): unknown {
  if (item instanceof Uint8Array) return String.fromCharCode(...item);
  if (typeof item === "number" && Number.isNaN(item)) return Symbol();
  return item;
}

/**
 * A repeated field (`templates/goshared/repeated.go`): `ignore_empty`, then the item count,
 * then per item `unique` and the `items` rules (`item` is that compiled check), each failure
 * reported against `Field[idx]`.
 *
 * A list of messages without any rules still has every item validated, as in PGV.
 */
export function compileRepeated(
  raw: RepeatedRules | undefined,
  item: ValueCheck | undefined,
): ValueCheck | undefined {
  const r = raw === undefined ? {} : explicit(RepeatedRulesSchema, raw);
  const count = countRule(r.minItems, r.maxItems, "item");
  const unique = r.unique === true;
  if (count === undefined && !unique && item === undefined) return undefined;
  const duplicate = violation("repeated value must contain unique items");
  const ignoreEmpty = r.ignoreEmpty === true;

  return (value) => {
    const list = value as readonly unknown[];
    if (ignoreEmpty && list.length === 0) return undefined;
    const tooMany = count?.(list.length);
    if (tooMany !== undefined) return tooMany;
    const seen = unique ? new Set<unknown>() : undefined;
    for (let i = 0; i < list.length; i++) {
      const element = list[i];
      if (seen !== undefined) {
        const key = uniqueKey(element);
        if (seen.has(key)) return atIndex(duplicate, String(i));
        seen.add(key);
      }
      const v = item?.(element);
      if (v !== undefined) return atIndex(v, String(i));
    }
    return undefined;
  };
}
