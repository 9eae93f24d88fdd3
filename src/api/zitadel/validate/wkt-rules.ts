import type { Duration } from "@bufbuild/protobuf/wkt";
import type { AnyRules, DurationRules, TimestampRules } from "@zitadel/proto/validate/validate_pb.js";
import { AnyRulesSchema, DurationRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { durationNanos, durationProblem, goDurationString } from "./go-duration.ts";
import { goList } from "./go-fmt.ts";
import { type Num, rangeCheck } from "./number-rules.ts";
import { firstOf, type ValueCheck, type Violation, violation } from "./violation.ts";

/**
 * Rules on well-known message types (`templates/go/duration.go`, `timestamp.go`,
 * `templates/goshared/any.go`). PGV does not descend into these messages; it checks
 * `required`, then compares the value.
 *
 * Not supported (skipped): timestamp comparisons (`lt`, `gt`, `lt_now`, `gt_now`, `within`,
 * `const`) — only `required` is checked for timestamps.
 */

const isRequired = violation("value is required");

/** `required` first, then `compare` on a present value; undefined when neither applies. */
function presentThen<T>(required: boolean, compare: ((value: T) => Violation | undefined) | undefined) {
  if (!required && compare === undefined) return undefined;
  return ((value: T | undefined) => {
    if (value === undefined) return required ? isRequired : undefined;
    return compare?.(value);
  }) as ValueCheck;
}

/** `validate.DurationRules`: required; validity; const; lt/lte/gt/gte; in/not_in. */
export function compileDurationRules(raw: DurationRules): ValueCheck | undefined {
  const r = explicit(DurationRulesSchema, raw);
  const nanos = (d: Duration | undefined): bigint | undefined =>
    d === undefined ? undefined : durationNanos(d);
  // Rule values are printed through Go's `Duration.String()`, list members as prototext.
  const show = (n: Num): string => goDurationString(BigInt(n));
  const asText = (d: Duration): string =>
    [d.seconds !== 0n ? `seconds:${d.seconds}` : "", d.nanos !== 0 ? `nanos:${d.nanos}` : ""]
      .join(" ")
      .trim();

  const compares: ((n: bigint) => Violation | undefined)[] = [];
  const want = nanos(r.const);
  if (want !== undefined) {
    const v = violation(`value must equal ${show(want)}`);
    compares.push((n) => (n !== want ? v : undefined));
  }
  const range = rangeCheck({ lt: nanos(r.lt), lte: nanos(r.lte), gt: nanos(r.gt), gte: nanos(r.gte) }, show);
  if (range !== undefined) compares.push(range);
  if (r.in !== undefined) {
    const allowed = new Set(r.in.map((d) => durationNanos(d)));
    const v = violation(`value must be in list ${goList(r.in, asText)}`);
    compares.push((n) => (allowed.has(n) ? undefined : v));
  } else if (r.notIn !== undefined) {
    const denied = new Set(r.notIn.map((d) => durationNanos(d)));
    const v = violation(`value must not be in list ${goList(r.notIn, asText)}`);
    compares.push((n) => (denied.has(n) ? v : undefined));
  }
  const compare = firstOf(compares);
  return presentThen<Duration>(
    raw.required,
    compare &&
      ((d) => {
        const problem = durationProblem(d);
        if (problem !== undefined) return violation("value is not a valid duration", problem);
        return compare(durationNanos(d));
      }),
  );
}

/** `validate.TimestampRules`: only `required` (see the module comment). */
export function compileTimestampRules(raw: TimestampRules): ValueCheck | undefined {
  return presentThen(raw.required, undefined);
}

/** `validate.AnyRules`: required, then the packed type URL against in/not_in. */
export function compileAnyRules(raw: AnyRules): ValueCheck | undefined {
  const r = explicit(AnyRulesSchema, raw);
  let compare: ((a: { typeUrl: string }) => Violation | undefined) | undefined;
  if (r.in !== undefined) {
    const allowed = new Set(r.in);
    const v = violation(`type URL must be in list ${goList(r.in)}`);
    compare = (a) => (allowed.has(a.typeUrl) ? undefined : v);
  } else if (r.notIn !== undefined) {
    const denied = new Set(r.notIn);
    const v = violation(`type URL must not be in list ${goList(r.notIn)}`);
    compare = (a) => (denied.has(a.typeUrl) ? v : undefined);
  }
  return presentThen(raw.required, compare);
}
