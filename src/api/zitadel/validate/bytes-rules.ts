import type { BytesRules } from "@zitadel/proto/validate/validate_pb.js";
import { BytesRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { lengthRule } from "./length-rule.ts";
import type { ValueCheck } from "./violation.ts";

/** The supported `validate.BytesRules`: `min_len` and `max_len`, worded as PGV's `bytes.go`. */
export function compileBytesRules(raw: BytesRules): ValueCheck | undefined {
  const r = explicit(BytesRulesSchema, raw);
  return lengthRule({ min: r.minLen, max: r.maxLen }, (b: Uint8Array) => b.length, "bytes") as
    | ValueCheck
    | undefined;
}
