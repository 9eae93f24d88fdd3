import type { DescEnum, DescField, DescMessage, JsonValue } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import { validationError } from "../../../errors/usher-error.ts";

// Well-known types whose JSON form is a plain string, so a query value can be passed as is.
const STRING_WKTS = new Set([
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.FieldMask",
]);
const WRAPPERS = new Set(
  ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map(
    (t) => `google.protobuf.${t}Value`,
  ),
);
const TRUE = new Set(["true", "True", "TRUE", "t", "T", "1"]);
const FALSE = new Set(["false", "False", "FALSE", "f", "F", "0"]);
const SIGNED = /^-?\d+$/;
const UNSIGNED = /^\d+$/;

/**
 * Converts the text of a path variable or query parameter (all values of a repeated key)
 * to the protobuf JSON value of `field`, following grpc-gateway's query syntax. Returns
 * `undefined` for fields that cannot be written as text (maps, ordinary messages), which
 * are then ignored like unknown parameters. Throws INVALID_ARGUMENT for malformed values.
 */
export function jsonFromStrings(
  field: DescField,
  values: readonly string[],
  name: string,
): JsonValue | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return scalarFromString(field.scalar, single(values, name), name);
    case "enum":
      return enumFromString(field.enum, single(values, name), name);
    case "message":
      if (!isTextual(field.message)) return undefined;
      return messageFromString(field.message, single(values, name), name);
    case "list":
      if (field.listKind === "scalar") return values.map((v) => scalarFromString(field.scalar, v, name));
      if (field.listKind === "enum") return values.map((v) => enumFromString(field.enum, v, name));
      if (!isTextual(field.message)) return undefined;
      return values.map((v) => messageFromString(field.message, v, name) ?? null);
    case "map":
      return undefined;
  }
}

function single(values: readonly string[], name: string): string {
  if (values.length !== 1) throw validationError(`too many values for field "${name}": ${values.join(", ")}`);
  return values[0] as string;
}

function scalarFromString(type: ScalarType, text: string, name: string): JsonValue {
  switch (type) {
    case ScalarType.STRING:
    case ScalarType.BYTES: // base64 in JSON as in the query string
      return text;
    case ScalarType.BOOL:
      if (TRUE.has(text)) return true;
      if (FALSE.has(text)) return false;
      throw invalid(text, name, "a boolean");
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      if (!SIGNED.test(text)) throw invalid(text, name, "an integer");
      return Number(text);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      if (!UNSIGNED.test(text)) throw invalid(text, name, "an unsigned integer");
      return Number(text);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      // Kept as a string: protobuf JSON allows it and it keeps all 64 bits.
      if (!SIGNED.test(text)) throw invalid(text, name, "an integer");
      return text;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      if (!UNSIGNED.test(text)) throw invalid(text, name, "an unsigned integer");
      return text;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      if (text === "NaN" || text === "Infinity" || text === "-Infinity") return text;
      const n = Number(text);
      if (text.trim() === "" || Number.isNaN(n)) throw invalid(text, name, "a number");
      return n;
    }
  }
}

/** Accepts a value's name (as protobuf JSON does) or its number (open enums allow any). */
function enumFromString(desc: DescEnum, text: string, name: string): JsonValue {
  if (SIGNED.test(text)) return Number(text);
  if (desc.values.some((v) => v.name === text || v.jsonName === text)) return text;
  throw invalid(text, name, `a value of ${desc.typeName}`);
}

function messageFromString(desc: DescMessage, text: string, name: string): JsonValue | undefined {
  if (STRING_WKTS.has(desc.typeName)) return text;
  if (WRAPPERS.has(desc.typeName)) {
    const inner = desc.fields.find((f) => f.name === "value");
    if (inner?.fieldKind === "scalar") return scalarFromString(inner.scalar, text, name);
  }
  return undefined;
}

function isTextual(desc: DescMessage): boolean {
  return STRING_WKTS.has(desc.typeName) || WRAPPERS.has(desc.typeName);
}

function invalid(text: string, name: string, expected: string) {
  return validationError(`invalid value ${JSON.stringify(text)} for field "${name}": expected ${expected}`);
}
