import { type Violation, violation } from "./violation.ts";

/**
 * PGV's size rules for repeated fields (`min_items`/`max_items`) and maps
 * (`min_pairs`/`max_pairs`), worded per `templates/goshared/repeated.go` and `map.go`:
 *
 * - min equal to max → `value must contain exactly N item(s)`
 * - min and max → `value must contain between A and B items, inclusive`
 * - min → `value must contain at least N item(s)`
 * - max → `value must contain no more than N item(s)`
 *
 * Unlike string lengths, the minimum only counts when non-zero (the template tests
 * `GetMinItems`), while the maximum counts whenever it is set (`MaxItems` is a pointer).
 */
export function countRule(
  minimum: bigint | undefined,
  max: bigint | undefined,
  noun: "item" | "pair",
): ((count: number) => Violation | undefined) | undefined {
  const min = minimum === 0n ? undefined : minimum;
  let reason: string;
  let bad: (n: number) => boolean;
  if (min !== undefined && min === max) {
    reason = `value must contain exactly ${min} ${noun}(s)`;
    bad = (n) => n !== Number(min);
  } else if (min !== undefined && max !== undefined) {
    reason = `value must contain between ${min} and ${max} ${noun}s, inclusive`;
    bad = (n) => n < Number(min) || n > Number(max);
  } else if (min !== undefined) {
    reason = `value must contain at least ${min} ${noun}(s)`;
    bad = (n) => n < Number(min);
  } else if (max !== undefined) {
    reason = `value must contain no more than ${max} ${noun}(s)`;
    bad = (n) => n > Number(max);
  } else {
    return undefined;
  }
  const v = violation(reason);
  return (n) => (bad(n) ? v : undefined);
}
