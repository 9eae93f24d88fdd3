import type { DescMessage, Message } from "@bufbuild/protobuf";
import { explicit } from "./explicit.ts";
import { goFloat, goList } from "./go-fmt.ts";
import { firstOf, type ValueCheck, type Violation, violation } from "./violation.ts";

/** A numeric rule value: `number` for 32-bit and floating kinds, `bigint` for 64-bit ones. */
export type Num = number | bigint;
type NumCheck = (n: Num) => Violation | undefined;

/** The fields every numeric rules message (`Int32Rules`, `DoubleRules`, …) shares. */
interface NumericRules {
  const?: Num;
  lt?: Num;
  lte?: Num;
  gt?: Num;
  gte?: Num;
  in?: Num[];
  notIn?: Num[];
  ignoreEmpty?: boolean;
}

/** How a numeric kind reads its field value and prints numbers like Go's `fmt.Sprint`. */
export interface NumericKind {
  readonly read: (value: unknown) => Num;
  readonly print: (n: Num) => string;
}

const asNumber = (value: unknown): Num => value as number;
/** 64-bit values are bigint, or decimal strings under `jstype = JS_STRING`. */
const asBigint = (value: unknown): Num => (typeof value === "bigint" ? value : BigInt(value as string));

export const int32Kind: NumericKind = { read: asNumber, print: String };
export const int64Kind: NumericKind = { read: asBigint, print: String };
export const floatKind: NumericKind = { read: asNumber, print: (n) => goFloat(Number(n), 32) };
export const doubleKind: NumericKind = { read: asNumber, print: (n) => goFloat(Number(n), 64) };

/**
 * Any of PGV's numeric rules messages, in the order of `templates/goshared/num.go`: const,
 * the lt/lte/gt/gte combination (`ltgt.go`, where lt > gt means "inside" and lt <= gt
 * "outside" the range), then in/not_in — all skipped for 0 under `ignore_empty`.
 */
export function compileNumberRules(
  schema: DescMessage,
  raw: Message,
  kind: NumericKind,
): ValueCheck | undefined {
  const r = explicit(schema, raw) as NumericRules;
  const p = kind.print;
  const checks: NumCheck[] = [];
  if (r.const !== undefined) {
    const want = r.const;
    const v = violation(`value must equal ${p(want)}`);
    checks.push((n) => (n !== want ? v : undefined));
  }
  const range = rangeCheck(r, p);
  if (range !== undefined) checks.push(range);
  if (r.in !== undefined) {
    const allowed = new Set<Num>(r.in);
    const v = violation(`value must be in list ${goList(r.in, p)}`);
    checks.push((n) => (allowed.has(n) ? undefined : v));
  } else if (r.notIn !== undefined) {
    const denied = new Set<Num>(r.notIn);
    const v = violation(`value must not be in list ${goList(r.notIn, p)}`);
    checks.push((n) => (denied.has(n) ? v : undefined));
  }
  const check = firstOf(checks);
  if (check === undefined) return undefined;
  const read = kind.read;
  if (r.ignoreEmpty) {
    return (value) => {
      const n = read(value);
      // Loose equality: 0 == 0n, and -0 is empty too, as in Go.
      // biome-ignore lint/suspicious/noDoubleEquals: compares number and bigint zero alike
      return n == 0 ? undefined : check(n);
    };
  }
  return (value) => check(read(value));
}

/**
 * PGV's `ltgt` template: which bounds are set decides both the test and the wording. Also
 * used for durations (in nanoseconds), whose template words its ranges the same way.
 */
export function rangeCheck(
  r: { lt?: Num | undefined; lte?: Num | undefined; gt?: Num | undefined; gte?: Num | undefined },
  p: (n: Num) => string,
): NumCheck | undefined {
  const { lt, lte, gt, gte } = r;
  const fail = (text: string, bad: (n: Num) => boolean): NumCheck => {
    const v = violation(text);
    return (n) => (bad(n) ? v : undefined);
  };
  if (lt !== undefined) {
    if (gt !== undefined) {
      return lt > gt
        ? fail(`value must be inside range (${p(gt)}, ${p(lt)})`, (n) => n <= gt || n >= lt)
        : fail(`value must be outside range [${p(lt)}, ${p(gt)}]`, (n) => n >= lt && n <= gt);
    }
    if (gte !== undefined) {
      return lt > gte
        ? fail(`value must be inside range [${p(gte)}, ${p(lt)})`, (n) => n < gte || n >= lt)
        : fail(`value must be outside range [${p(lt)}, ${p(gte)})`, (n) => n >= lt && n < gte);
    }
    return fail(`value must be less than ${p(lt)}`, (n) => n >= lt);
  }
  if (lte !== undefined) {
    if (gt !== undefined) {
      return lte > gt
        ? fail(`value must be inside range (${p(gt)}, ${p(lte)}]`, (n) => n <= gt || n > lte)
        : fail(`value must be outside range (${p(lte)}, ${p(gt)}]`, (n) => n > lte && n <= gt);
    }
    if (gte !== undefined) {
      return lte > gte
        ? fail(`value must be inside range [${p(gte)}, ${p(lte)}]`, (n) => n < gte || n > lte)
        : fail(`value must be outside range (${p(lte)}, ${p(gte)})`, (n) => n > lte && n < gte);
    }
    return fail(`value must be less than or equal to ${p(lte)}`, (n) => n > lte);
  }
  if (gt !== undefined) return fail(`value must be greater than ${p(gt)}`, (n) => n <= gt);
  if (gte !== undefined) return fail(`value must be greater than or equal to ${p(gte)}`, (n) => n < gte);
  return undefined;
}
