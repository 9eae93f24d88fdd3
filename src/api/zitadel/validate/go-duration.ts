/**
 * `google.protobuf.Duration` the way PGV's Go code sees it: converted with `AsDuration()` to
 * a `time.Duration` (int64 nanoseconds, saturating) and printed with `Duration.String()`
 * (`1h0m0s`, `1.5s`, `100ms`, `0s`).
 */

const maxInt64 = 2n ** 63n - 1n;
const minInt64 = -(2n ** 63n);

/** `durationpb.AsDuration()`: seconds and nanos as int64 nanoseconds, clamped on overflow. */
export function durationNanos(d: { seconds: bigint; nanos: number }): bigint {
  const total = d.seconds * 1_000_000_000n + BigInt(d.nanos);
  if (total > maxInt64) return maxInt64;
  if (total < minInt64) return minInt64;
  return total;
}

/** `v / 10^precision` with the trailing zeros of the fraction dropped (Go's `fmtFrac`). */
function fraction(v: bigint, precision: number): { whole: bigint; frac: string } {
  const scale = 10n ** BigInt(precision);
  const digits = (v % scale).toString().padStart(precision, "0").replace(/0+$/, "");
  return { whole: v / scale, frac: digits === "" ? "" : `.${digits}` };
}

/** Go's `time.Duration.String()` of a nanosecond count. */
export function goDurationString(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  const sign = nanos < 0n ? "-" : "";
  const u = nanos < 0n ? -nanos : nanos;
  if (u < 1_000_000_000n) {
    // Below a second Go switches units: ns, µs, ms.
    const [precision, unit] = u < 1_000n ? [0, "ns"] : u < 1_000_000n ? [3, "µs"] : [6, "ms"];
    const { whole, frac } = fraction(u, precision);
    return `${sign}${whole}${frac}${unit}`;
  }
  const { whole: seconds, frac } = fraction(u, 9);
  let out = `${seconds % 60n}${frac}s`;
  const minutes = seconds / 60n;
  if (minutes > 0n) {
    out = `${minutes % 60n}m${out}`;
    const hours = minutes / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return sign + out;
}

/**
 * `durationpb.CheckValid()`'s complaint about a malformed duration, or undefined. Go prints
 * the message with prototext, whose spacing Go randomises; a single space is used here.
 */
export function durationProblem(d: { seconds: bigint; nanos: number }): string | undefined {
  const tenThousandYears = 315_576_000_000n;
  // prototext leaves out zero fields.
  const text = [d.seconds !== 0n ? `seconds:${d.seconds}` : "", d.nanos !== 0 ? `nanos:${d.nanos}` : ""]
    .filter((part) => part !== "")
    .join(" ");
  if (d.seconds < -tenThousandYears) return `proto: duration (${text}) exceeds -10000 years`;
  if (d.seconds > tenThousandYears) return `proto: duration (${text}) exceeds +10000 years`;
  if (d.nanos <= -1e9 || d.nanos >= 1e9) return `proto: duration (${text}) has out-of-range nanos`;
  if ((d.seconds > 0n && d.nanos < 0) || (d.seconds < 0n && d.nanos > 0)) {
    return `proto: duration (${text}) has seconds and nanos with different signs`;
  }
  return undefined;
}
