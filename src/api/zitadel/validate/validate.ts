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
 * Supported, with PGV's Go wording and order:
 * - string: const, in/not_in, len/min_len/max_len (runes), len_bytes/min_bytes/max_bytes,
 *   prefix, suffix, contains, not_contains, pattern (RE2 translated), email, hostname, ip,
 *   ipv4, ipv6, address, uri, uri_ref, uuid, ignore_empty
 * - bytes: const, len/min_len/max_len, prefix, suffix, contains, in/not_in, ip/ipv4/ipv6,
 *   pattern, ignore_empty
 * - all numeric kinds: const, lt/lte/gt/gte (inside/outside ranges), in/not_in, ignore_empty;
 *   bool: const
 * - enum: const, in/not_in, defined_only
 * - message: required, skip, recursion into set sub-messages, oneof members, list items and
 *   map values; `validate.disabled`/`validate.ignored`; oneof `(validate.required)`
 * - repeated: min_items, max_items, unique, items, ignore_empty; map: min_pairs, max_pairs,
 *   keys, values, ignore_empty
 * - wrappers (`google.protobuf.StringValue` …) with scalar rules; duration: required, const,
 *   lt/lte/gt/gte, in/not_in; timestamp: required; any: required, in/not_in
 *
 * Skipped silently: timestamp comparisons (lt/lte/gt/gte/lt_now/gt_now/within/const),
 * map no_sparse, string well_known_regex/strict (PGV's Go generator ignores those too), and
 * RE2 patterns without a JavaScript equivalent (see re2.ts).
 */
export function validateMessage(schema: DescMessage, message: Message): void {
  const text = firstViolation(schema, message);
  if (text !== undefined) throw validationError(text);
}

/** PGV's text for the first rule `message` breaks, or undefined when it is valid. */
export function firstViolation(schema: DescMessage, message: Message): string | undefined {
  return resolveMessage(schema)?.(message);
}
