import { type ProbeField, Type, testWording } from "./probe-schema.test-support.ts";

/**
 * The wording of the supported bool, bytes, enum, repeated and duration rules, per PGV's Go
 * templates, on one-field probe messages.
 */

const bytes: ProbeField = { type: Type.BYTES };
const color: ProbeField = { type: Type.ENUM, typeName: ".usher.probe.Color" };
const duration: ProbeField = { type: Type.MESSAGE, typeName: ".google.protobuf.Duration" };
const b = (...v: number[]) => new Uint8Array(v);
const secs = (seconds: bigint, nanos = 0) => ({ seconds, nanos });

testWording({
  "bool const": [
    { type: Type.BOOL },
    { type: { case: "bool", value: { const: false } } },
    true,
    ": value must equal false",
  ],
  "bytes min_len and max_len": [
    bytes,
    { type: { case: "bytes", value: { minLen: 1n, maxLen: 3n } } },
    b(1, 2, 3, 4),
    ": value length must be between 1 and 3 bytes, inclusive",
  ],
  "bytes within bounds": [
    bytes,
    { type: { case: "bytes", value: { minLen: 1n, maxLen: 3n } } },
    b(1),
    undefined,
  ],
  "enum defined_only": [
    color,
    { type: { case: "enum", value: { definedOnly: true } } },
    7,
    ": value must be one of the defined enum values",
  ],
  "enum defined value": [color, { type: { case: "enum", value: { definedOnly: true } } }, 2, undefined],
  max_items: [
    { type: Type.STRING, repeated: true },
    { type: { case: "repeated", value: { maxItems: 2n } } },
    ["a", "b", "c"],
    ": value must contain no more than 2 item(s)",
  ],
  "max_items reached": [
    { type: Type.STRING, repeated: true },
    { type: { case: "repeated", value: { maxItems: 2n } } },
    ["a", "b"],
    undefined,
  ],
  "duration const": [
    duration,
    { type: { case: "duration", value: { const: secs(90n) } } },
    secs(60n),
    ": value must equal 1m30s",
  ],
  "duration inside [gte, lte]": [
    duration,
    { type: { case: "duration", value: { gte: secs(0n), lte: secs(270n) } } },
    secs(270n, 1),
    ": value must be inside range [0s, 4m30s]",
  ],
  "duration outside (lte, gte)": [
    duration,
    { type: { case: "duration", value: { gte: secs(10n), lte: secs(1n) } } },
    secs(5n),
    ": value must be outside range (1s, 10s)",
  ],
  "duration lte": [
    duration,
    { type: { case: "duration", value: { lte: secs(1n) } } },
    secs(1n, 500_000_000),
    ": value must be less than or equal to 1s",
  ],
  "duration gte": [
    duration,
    { type: { case: "duration", value: { gte: secs(1n) } } },
    secs(0n, 1_000),
    ": value must be greater than or equal to 1s",
  ],
  "duration unset": [
    duration,
    { type: { case: "duration", value: { gte: secs(1n) } } },
    undefined,
    undefined,
  ],
  "duration invalid": [
    duration,
    { type: { case: "duration", value: { lte: secs(1n) } } },
    secs(1n, -1),
    ": value is not a valid duration | caused by: proto: duration (seconds:1 nanos:-1) has seconds and nanos with different signs",
  ],
});
