import type { DescMessage } from "@bufbuild/protobuf";
import type { MessageRules } from "@zitadel/proto/validate/validate_pb.js";
import { type ValueCheck, violation } from "./violation.ts";

/**
 * Validates a whole sub-message and returns PGV's text for its first violation. Undefined
 * from the resolver means the message type has nothing to check (no rules anywhere below
 * it, or `validate.disabled`/`validate.ignored`), so callers can drop the field entirely.
 */
export type MessageCheck = (message: object) => string | undefined;

/** Finds the (cached) check for a message type. */
export type ResolveMessage = (schema: DescMessage) => MessageCheck | undefined;

const isRequired = violation("value is required");
const wrapperRequired = violation("value is required and must not be nil.");

/**
 * An embedded message field (`templates/go/message.go`): `message.required` first, then —
 * unless `message.skip` — the sub-message's own validation, reported as
 * `embedded message failed validation | caused by: <the sub-message's error>`.
 */
export function compileEmbedded(
  schema: DescMessage,
  rules: MessageRules | undefined,
  resolve: ResolveMessage,
): ValueCheck | undefined {
  const required = rules?.required === true;
  const inner = rules?.skip === true ? undefined : resolve(schema);
  if (!required && inner === undefined) return undefined;
  return (value) => {
    if (value === undefined) return required ? isRequired : undefined;
    if (inner === undefined) return undefined;
    const cause = inner(value as object);
    return cause === undefined ? undefined : violation("embedded message failed validation", cause);
  };
}

/**
 * A `google.protobuf.*Value` wrapper with scalar rules (`templates/goshared/wrapper.go`):
 * the rules apply to the wrapped value when the wrapper is present; an absent wrapper fails
 * only under `message.required`, with PGV's own wording for that case.
 *
 * protobuf-es unwraps singular wrapper fields to the bare scalar but keeps the message in
 * oneofs, so both shapes are accepted.
 */
export function compileWrapper(
  check: ValueCheck | undefined,
  rules: MessageRules | undefined,
): ValueCheck | undefined {
  const required = rules?.required === true;
  if (!required && check === undefined) return undefined;
  return (value) => {
    if (value === undefined) return required ? wrapperRequired : undefined;
    const inner = typeof value === "object" && value !== null && "value" in value ? value.value : value;
    return check?.(inner);
  };
}
