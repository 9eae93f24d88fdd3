import type { RepeatedRules } from "@zitadel/proto/validate/validate_pb.js";
import { RepeatedRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { atIndex, type ValueCheck, violation } from "./violation.ts";

/**
 * A repeated field (`templates/goshared/repeated.go`): the supported `max_items`, then each
 * item's check (`item`: the embedded validation of message items), each failure reported
 * against `Field[idx]`. A list of messages without rules still has every item validated, as
 * in PGV.
 */
export function compileRepeated(
  raw: RepeatedRules | undefined,
  item: ValueCheck | undefined,
): ValueCheck | undefined {
  const max = raw === undefined ? undefined : explicit(RepeatedRulesSchema, raw).maxItems;
  if (max === undefined && item === undefined) return undefined;
  const tooMany = violation(`value must contain no more than ${max} item(s)`);

  return (value) => {
    const list = value as readonly unknown[];
    if (max !== undefined && list.length > Number(max)) return tooMany;
    if (item === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const v = item(list[i]);
      if (v !== undefined) return atIndex(v, String(i));
    }
    return undefined;
  };
}
