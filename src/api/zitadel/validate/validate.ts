import type { DescMessage, Message } from "@bufbuild/protobuf";
import { validationError } from "../../../errors/usher-error.ts";
import { resolveMessage } from "./plan.ts";

/**
 * Request validation as ZITADEL does it: protoc-gen-validate (PGV) rules read from the
 * descriptors' `(validate.rules)` options, checked before the handler runs, failing with
 * INVALID_ARGUMENT and PGV's own text, e.g.
 *
 *     invalid AddHumanUserRequest.Profile: embedded message failed validation | caused by:
 *     invalid SetHumanProfile.GivenName: value length must be between 1 and 200 runes, inclusive
 *
 * Rules are compiled once per message type (see plan.ts) and cached by descriptor.
 *
 * Supported, with PGV's Go wording and order: exactly the rules the requests of served methods
 * carry (`SUPPORTED_RULES` in supported.ts) — string min_len/max_len (runes), prefix, email,
 * ignore_empty; bytes min_len/max_len; bool const; enum defined_only; duration const/gte/lte;
 * repeated max_items with recursion into message items; message required and recursion into
 * set sub-messages and oneof members; oneof `(validate.required)`. `assertRulesSupported`
 * stops the start when a served method carries any other rule.
 */
export function validateMessage(schema: DescMessage, message: Message): void {
  const text = firstViolation(schema, message);
  if (text !== undefined) throw validationError(text);
}

/** PGV's text for the first rule `message` breaks, or undefined when it is valid. */
export function firstViolation(schema: DescMessage, message: Message): string | undefined {
  return resolveMessage(schema)?.(message);
}
