import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { getOption, hasOption, ScalarType } from "@bufbuild/protobuf";
import { required } from "@zitadel/proto/validate/validate_pb.js";
import { compileField } from "./field.ts";
import { goFieldName, goMessageName } from "./go-names.ts";
import type { MessageCheck } from "./message-rules.ts";
import { type ValueCheck, violation, violationText } from "./violation.ts";

/** One step of a message's validation: PGV's full text for a failure, else undefined. */
type Step = (message: Readonly<Record<string, unknown>>) => string | undefined;

const pending = Symbol("compiling");
/** Compiled checks per message type; null when the type has nothing to check. */
const cache = new WeakMap<DescMessage, MessageCheck | null | typeof pending>();

/**
 * The compiled validation of a message type, or undefined when it cannot fail. Compiled on
 * first use and cached per descriptor, so a request only pays for running the checks.
 *
 * A type that refers to itself (directly or not) gets a late-bound check for the inner
 * reference, since its plan is not finished when the reference is compiled.
 */
export function resolveMessage(schema: DescMessage): MessageCheck | undefined {
  const hit = cache.get(schema);
  if (hit === pending) {
    return (message) => {
      const done = cache.get(schema);
      return typeof done === "function" ? done(message) : undefined;
    };
  }
  if (hit !== undefined) return hit ?? undefined;
  cache.set(schema, pending);
  try {
    const compiled = compileMessage(schema);
    cache.set(schema, compiled ?? null);
    return compiled;
  } catch (e) {
    cache.delete(schema);
    throw e;
  }
}

/** protobuf-es may leave explicit-presence scalars undefined; PGV reads Go's getter default. */
function defaultOf(field: DescField): unknown {
  if (field.fieldKind === "enum") return field.getDefaultValue() ?? field.enum.values[0]?.number ?? 0;
  if (field.fieldKind !== "scalar") return undefined;
  const given = field.getDefaultValue();
  if (given !== undefined) return given;
  switch (field.scalar) {
    case ScalarType.STRING:
      return "";
    case ScalarType.BYTES:
      return new Uint8Array(0);
    case ScalarType.BOOL:
      return false;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return field.longAsString ? "0" : 0n;
    default:
      return 0;
  }
}

/**
 * PGV's `validate()` (`templates/goshared/msg.go`): fields outside oneofs in declaration
 * order, then each real oneof (its set member; `value is required` under
 * `(validate.required)`), then proto3 `optional` fields that are set. The first failure wins,
 * as ZITADEL calls `Validate()`, not `ValidateAll()`.
 */
function compileMessage(schema: DescMessage): MessageCheck | undefined {
  const typeName = goMessageName(schema);
  const steps: Step[] = [];
  /** Runs a field's check on a value and words a failure with the message and field names. */
  const report = (field: DescField, check: ValueCheck) => {
    const name = goFieldName(field);
    return (value: unknown): string | undefined => {
      const v = check(value);
      return v === undefined ? undefined : violationText(typeName, name, v);
    };
  };

  for (const field of schema.fields) {
    if (field.oneof !== undefined || field.proto.proto3Optional) continue;
    const check = compileField(field, resolveMessage);
    if (check === undefined) continue;
    const run = report(field, check);
    const local = field.localName;
    const fallback = defaultOf(field);
    steps.push((message) => run(message[local] ?? fallback));
  }
  for (const oneof of schema.oneofs) {
    const members = new Map<string, (value: unknown) => string | undefined>();
    for (const field of oneof.fields) {
      const check = compileField(field, resolveMessage);
      if (check !== undefined) members.set(field.localName, report(field, check));
    }
    const isRequired = hasOption(oneof, required) && getOption(oneof, required);
    if (members.size === 0 && !isRequired) continue;
    const missing = violationText(typeName, goFieldName(oneof), violation("value is required"));
    const local = oneof.localName;
    steps.push((message) => {
      // protobuf-es keeps a oneof as `{ case, value }` under the oneof's own name.
      const selected = message[local] as { case: string | undefined; value?: unknown } | undefined;
      if (selected?.case === undefined) return isRequired ? missing : undefined;
      return members.get(selected.case)?.(selected.value);
    });
  }
  for (const field of schema.fields) {
    if (!field.proto.proto3Optional) continue;
    const check = compileField(field, resolveMessage);
    if (check === undefined) continue;
    const run = report(field, check);
    const local = field.localName;
    steps.push((message) => {
      const value = message[local];
      return value === undefined ? undefined : run(value);
    });
  }

  if (steps.length === 0) return undefined;
  return (message) => {
    const m = message as Readonly<Record<string, unknown>>;
    for (const step of steps) {
      const text = step(m);
      if (text !== undefined) return text;
    }
    return undefined;
  };
}
