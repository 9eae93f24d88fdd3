import { type Violation, violation } from "./violation.ts";

/** A length check on one value: the value is measured, then compared. */
export type LengthCheck<T> = (value: T) => Violation | undefined;

/**
 * PGV's length rules, shared by strings (in runes) and bytes fields (in bytes):
 *
 * - `min_len` equal to `max_len` → `value length must be N <unit>`
 * - `min_len` and `max_len` → `value length must be between A and B <unit>, inclusive`
 * - `min_len` → `value length must be at least N <unit>`
 * - `max_len` → `value length must be at most N <unit>`
 *
 * Bounds are "set" in the proto2 sense: `min_len: 0` is a rule and selects the "between"
 * wording. The text is built once here, not per request.
 */
export function lengthRule<T>(
  bounds: { min?: bigint | undefined; max?: bigint | undefined },
  measure: (value: T) => number,
  unit: string,
): LengthCheck<T> | undefined {
  const { min, max } = bounds;
  const exact = min !== undefined && min === max ? min : undefined;
  if (exact !== undefined) {
    const n = Number(exact);
    const v = violation(`value length must be ${exact} ${unit}`);
    return (value) => (measure(value) !== n ? v : undefined);
  }
  if (min !== undefined && max !== undefined) {
    const lo = Number(min);
    const hi = Number(max);
    const v = violation(`value length must be between ${min} and ${max} ${unit}, inclusive`);
    return (value) => {
      const l = measure(value);
      return l < lo || l > hi ? v : undefined;
    };
  }
  if (min !== undefined) {
    const lo = Number(min);
    const v = violation(`value length must be at least ${min} ${unit}`);
    return (value) => (measure(value) < lo ? v : undefined);
  }
  if (max !== undefined) {
    const hi = Number(max);
    const v = violation(`value length must be at most ${max} ${unit}`);
    return (value) => (measure(value) > hi ? v : undefined);
  }
  return undefined;
}
