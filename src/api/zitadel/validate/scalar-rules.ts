import { ScalarType } from "@bufbuild/protobuf";
import type { FieldRules } from "@zitadel/proto/validate/validate_pb.js";
import { compileBytesRules } from "./bytes-rules.ts";
import { compileBoolRules } from "./enum-rules.ts";
import { compileStringRules } from "./string-rules.ts";
import type { ValueCheck } from "./violation.ts";

/**
 * The check for one scalar value under the type-specific part of its `FieldRules`: string,
 * bytes and bool rules (the only scalar rules served methods carry; see supported.ts).
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
    default:
      return undefined;
  }
}
