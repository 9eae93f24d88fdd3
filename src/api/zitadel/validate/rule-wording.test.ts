import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { anyPack, DurationSchema } from "@bufbuild/protobuf/wkt";
import { type ProbeField, probe, type Rules, Type, testWording } from "./probe-schema.test-support.ts";
import { firstViolation } from "./validate.ts";

/**
 * The wording of numeric, bool, bytes, enum, repeated, map, wrapper and Any rules, per PGV's
 * Go templates, on one-field probe messages.
 */

const i32: ProbeField = { type: Type.INT32 };
const i64: ProbeField = { type: Type.INT64 };
const str: ProbeField = { type: Type.STRING };
const bytes: ProbeField = { type: Type.BYTES };
const color: ProbeField = { type: Type.ENUM, typeName: ".usher.probe.Color" };
const s = (value: Rules["type"] & { case: "string" }) => ({ type: value });
const b = (...v: number[]) => new Uint8Array(v);

testWording({
  "inside (gt, lt)": [
    i32,
    { type: { case: "int32", value: { gt: 0, lt: 10 } } },
    10,
    ": value must be inside range (0, 10)",
  ],
  "outside [lt, gt]": [
    i32,
    { type: { case: "int32", value: { gt: 10, lt: 0 } } },
    5,
    ": value must be outside range [0, 10]",
  ],
  "inside (gt, lte]": [
    i32,
    { type: { case: "int32", value: { gt: 0, lte: 10 } } },
    11,
    ": value must be inside range (0, 10]",
  ],
  "inside [gte, lte]": [
    i64,
    { type: { case: "int64", value: { gte: 1n, lte: 3n } } },
    0n,
    ": value must be inside range [1, 3]",
  ],
  "outside (lte, gte)": [
    i64,
    { type: { case: "int64", value: { lte: 1n, gte: 3n } } },
    2n,
    ": value must be outside range (1, 3)",
  ],
  lt: [
    { type: Type.UINT32 },
    { type: { case: "uint32", value: { lt: 5 } } },
    5,
    ": value must be less than 5",
  ],
  lte: [
    { type: Type.UINT64 },
    { type: { case: "uint64", value: { lte: 5n } } },
    6n,
    ": value must be less than or equal to 5",
  ],
  "gte ignore_empty 0": [
    i32,
    { type: { case: "int32", value: { gte: 5, ignoreEmpty: true } } },
    0,
    undefined,
  ],
  gte: [
    i32,
    { type: { case: "int32", value: { gte: 5, ignoreEmpty: true } } },
    3,
    ": value must be greater than or equal to 5",
  ],
  "double in": [
    { type: Type.DOUBLE },
    { type: { case: "double", value: { in: [1.5, 1e6] } } },
    2,
    ": value must be in list [1.5 1e+06]",
  ],
  "float const": [
    { type: Type.FLOAT },
    { type: { case: "float", value: { const: 0.1 } } },
    Math.fround(0.2),
    ": value must equal 0.1",
  ],
  "bool const": [
    { type: Type.BOOL },
    { type: { case: "bool", value: { const: false } } },
    true,
    ": value must equal false",
  ],
  "bytes prefix": [
    bytes,
    { type: { case: "bytes", value: { prefix: b(1, 2) } } },
    b(3),
    ': value does not have prefix "\\x1\\x2"',
  ],
  "bytes in": [
    bytes,
    { type: { case: "bytes", value: { in: [b(1), b(2, 3)] } } },
    b(4),
    ": value must be in list [[1] [2 3]]",
  ],
  "bytes const": [
    bytes,
    { type: { case: "bytes", value: { const: b(1, 2) } } },
    b(1),
    ": value must equal [1 2]",
  ],
  "bytes len": [
    bytes,
    { type: { case: "bytes", value: { len: 2n } } },
    b(1),
    ": value length must be 2 bytes",
  ],
  "bytes ipv4": [
    bytes,
    { type: { case: "bytes", value: { wellKnown: { case: "ipv4", value: true } } } },
    new Uint8Array(16),
    ": value must be a valid IPv4 address",
  ],
  "enum const": [color, { type: { case: "enum", value: { const: 1 } } }, 2, ": value must equal COLOR_RED"],
  "enum in": [
    color,
    { type: { case: "enum", value: { in: [1] } } },
    2,
    ": value must be in list [COLOR_RED]",
  ],
  "enum defined_only": [
    color,
    { type: { case: "enum", value: { definedOnly: true } } },
    7,
    ": value must be one of the defined enum values",
  ],
  "items between": [
    { ...str, repeated: true },
    { type: { case: "repeated", value: { minItems: 2n, maxItems: 3n } } },
    ["a"],
    ": value must contain between 2 and 3 items, inclusive",
  ],
  "items exactly": [
    { ...str, repeated: true },
    { type: { case: "repeated", value: { minItems: 2n, maxItems: 2n } } },
    ["a"],
    ": value must contain exactly 2 item(s)",
  ],
  "items at least": [
    { ...str, repeated: true },
    { type: { case: "repeated", value: { minItems: 1n } } },
    [],
    ": value must contain at least 1 item(s)",
  ],
  "items ignore_empty": [
    { ...str, repeated: true },
    { type: { case: "repeated", value: { minItems: 2n, ignoreEmpty: true } } },
    [],
    undefined,
  ],
  "enum items print numbers": [
    { ...color, repeated: true },
    { type: { case: "repeated", value: { items: { type: { case: "enum", value: { in: [1] } } } } } },
    [1, 2],
    "[1]: value must be in list [1]",
  ],
  "pairs at least": [
    { ...i32, mapKey: Type.STRING },
    { type: { case: "map", value: { minPairs: 2n } } },
    { a: 1 },
    ": value must contain at least 2 pair(s)",
  ],
  "map keys sorted": [
    { ...i32, mapKey: Type.STRING },
    { type: { case: "map", value: { keys: s({ case: "string", value: { minLen: 2n } }) } } },
    { b: 1, a: 1 },
    "[a]: value length must be at least 2 runes",
    "onKey",
  ],
  "map values": [
    { ...i32, mapKey: Type.INT32 },
    { type: { case: "map", value: { values: { type: { case: "int32", value: { gt: 0 } } } } } },
    { 10: -1, 9: -1 },
    "[9]: value must be greater than 0",
  ],
  "wrapper unset": [
    { type: Type.MESSAGE, typeName: ".google.protobuf.StringValue" },
    { message: { required: true }, type: { case: "string", value: { minLen: 2n } } },
    undefined,
    ": value is required and must not be nil.",
  ],
  "wrapper value": [
    { type: Type.MESSAGE, typeName: ".google.protobuf.StringValue" },
    { message: { required: true }, type: { case: "string", value: { minLen: 2n } } },
    "a",
    ": value length must be at least 2 runes",
  ],
  "any in": [
    { type: Type.MESSAGE, typeName: ".google.protobuf.Any" },
    { type: { case: "any", value: { in: ["type.googleapis.com/x"] } } },
    anyPack(DurationSchema, create(DurationSchema)),
    ": type URL must be in list [type.googleapis.com/x]",
  ],
});

test("messages marked (validate.disabled) or (validate.ignored) are not checked", () => {
  const rules: Rules = { type: { case: "string", value: { minLen: 1n } } };
  for (const flag of [undefined, "disabled", "ignored"] as const) {
    const schema = probe(str, rules, flag);
    const message = create(schema, { valueField: "" } as MessageInitShape<DescMessage>);
    const want =
      flag === undefined ? "invalid Probe.ValueField: value length must be at least 1 runes" : undefined;
    assert.equal(firstViolation(schema, message), want, String(flag));
  }
});
