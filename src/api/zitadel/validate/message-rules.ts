import type { DescMessage } from "@bufbuild/protobuf";
import type { MessageRules } from "@zitadel/proto/validate/validate_pb.js";
import { type ValueCheck, violation } from "./violation.ts";

/**
 * Validates a whole sub-message and returns PGV's text for its first violation. Undefined
 * from the resolver means the message type has nothing to check (no rules anywhere below
 * it), so callers can drop the field entirely.
 */
export type MessageCheck = (message: object) => string | undefined;

/** Finds the (cached) check for a message type. */
export type ResolveMessage = (schema: DescMessage) => MessageCheck | undefined;

const isRequired = violation("value is required");

/**
 * An embedded message field (`templates/go/message.go`): `message.required` first, then the
 * sub-message's own validation, reported as
 * `embedded message failed validation | caused by: <the sub-message's error>`.
 */
export function compileEmbedded(
  schema: DescMessage,
  rules: MessageRules | undefined,
  resolve: ResolveMessage,
): ValueCheck | undefined {
  const required = rules?.required === true;
  const inner = resolve(schema);
  if (!required && inner === undefined) return undefined;
  return (value) => {
    if (value === undefined) return required ? isRequired : undefined;
    if (inner === undefined) return undefined;
    const cause = inner(value as object);
    return cause === undefined ? undefined : violation("embedded message failed validation", cause);
  };
}
