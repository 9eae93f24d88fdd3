/**
 * The shapes shared by every rule compiler: what a rule reports and how PGV prints it.
 *
 * PGV's Go code builds a `<Msg>ValidationError{field, reason, cause, key}` and prints it as
 * `invalid <Msg>.<field>: <reason>[ | caused by: <cause>]`. Rules here return the
 * reason/cause part; the message plan adds the message and field names, so the text is only
 * assembled when a request actually fails.
 */

/** One failed rule, in PGV's words. */
export interface Violation {
  /** PGV's reason, e.g. `value length must be at least 1 runes`. */
  readonly reason: string;
  /** The wrapped error's text, printed after ` | caused by: `. */
  readonly cause?: string | undefined;
  /** Appended to the field name: `[3]` for list items. */
  readonly index?: string | undefined;
}

/**
 * Checks one value against rules compiled ahead of time. Returns undefined when the value
 * passes — the common case, so it must not allocate.
 */
export type ValueCheck = (value: unknown) => Violation | undefined;

/** A violation without cause or index. */
export function violation(reason: string, cause?: string): Violation {
  return cause === undefined ? { reason } : { reason, cause };
}

/** The same violation, attributed to a list index (PGV's `errIdx`). */
export function atIndex(v: Violation, index: string): Violation {
  return { reason: v.reason, cause: v.cause, index: `[${index}]` };
}

/**
 * PGV's `ValidationError.Error()`: `invalid <Msg>.<Field>[idx]: <reason>[ | caused by: <cause>]`.
 * `messageName` and `fieldName` are the Go names (see go-names.ts).
 */
export function violationText(messageName: string, fieldName: string, v: Violation): string {
  const cause = v.cause === undefined ? "" : ` | caused by: ${v.cause}`;
  return `invalid ${messageName}.${fieldName}${v.index ?? ""}: ${v.reason}${cause}`;
}

/**
 * Runs checks in order and returns the first violation. Rules compile to small arrays of
 * these so that a value is tested in the order PGV's templates test it.
 */
export function firstOf<T>(
  checks: readonly ((value: T) => Violation | undefined)[],
): ((value: T) => Violation | undefined) | undefined {
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (value) => {
    for (const check of checks) {
      const v = check(value);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}
