import type { Duration } from "@bufbuild/protobuf/wkt";
import type { DurationRules } from "@zitadel/proto/validate/validate_pb.js";
import { DurationRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { explicit } from "./explicit.ts";
import { durationNanos, durationProblem, goDurationString } from "./go-duration.ts";
import { firstOf, type ValueCheck, type Violation, violation } from "./violation.ts";

type NanosCheck = (n: bigint) => Violation | undefined;

/**
 * The supported `validate.DurationRules` (`templates/go/duration.go`): `const`, and `gte`/`lte`
 * alone or together, worded with Go's `Duration.String()`. PGV does not descend into the
 * message: an absent duration passes, an invalid one fails before any comparison.
 */
export function compileDurationRules(raw: DurationRules): ValueCheck | undefined {
  const r = explicit(DurationRulesSchema, raw);
  const checks: NanosCheck[] = [];
  const fail = (text: string, bad: (n: bigint) => boolean): NanosCheck => {
    const v = violation(text);
    return (n) => (bad(n) ? v : undefined);
  };
  const show = (n: bigint) => goDurationString(n);
  if (r.const !== undefined) {
    const want = durationNanos(r.const);
    checks.push(fail(`value must equal ${show(want)}`, (n) => n !== want));
  }
  const gte = r.gte === undefined ? undefined : durationNanos(r.gte);
  const lte = r.lte === undefined ? undefined : durationNanos(r.lte);
  if (gte !== undefined && lte !== undefined) {
    // PGV's `ltgt` template: a lower bound above the upper one means "outside".
    checks.push(
      lte > gte
        ? fail(`value must be inside range [${show(gte)}, ${show(lte)}]`, (n) => n < gte || n > lte)
        : fail(`value must be outside range (${show(lte)}, ${show(gte)})`, (n) => n > lte && n < gte),
    );
  } else if (lte !== undefined) {
    checks.push(fail(`value must be less than or equal to ${show(lte)}`, (n) => n > lte));
  } else if (gte !== undefined) {
    checks.push(fail(`value must be greater than or equal to ${show(gte)}`, (n) => n < gte));
  }
  const compare = firstOf(checks);
  if (compare === undefined) return undefined;
  return (value) => {
    if (value === undefined) return undefined;
    const d = value as Duration;
    const problem = durationProblem(d);
    if (problem !== undefined) return violation("value is not a valid duration", problem);
    return compare(durationNanos(d));
  };
}
