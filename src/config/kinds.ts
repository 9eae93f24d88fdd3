import { parseDuration } from "./duration.ts";
import { parseTrustedProxies } from "./trusted-proxies.ts";

/**
 * The type of a configuration value: how text (environment, YAML, a flag) becomes the value,
 * which values are allowed, and how to say what was expected when one is not.
 */
export interface Kind<T> {
  /** What a valid value looks like, for error messages and help ("a whole number from 1 to 20"). */
  readonly expected: string;
  /** The value written as `text`, or undefined when the text is not one. */
  parse(text: string): T | undefined;
  /** Whether a value already typed (a default, an override from a test) is allowed. */
  accepts(value: unknown): value is T;
}

/** Whole numbers from `min` to `max` (inclusive). */
export function int(min: number, max = Number.MAX_SAFE_INTEGER): Kind<number> {
  const accepts = (v: unknown): v is number =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
  return {
    expected:
      max === Number.MAX_SAFE_INTEGER
        ? `a whole number, at least ${min}`
        : `a whole number from ${min} to ${max}`,
    parse: (text) => {
      const value = /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
      return accepts(value) ? value : undefined;
    },
    accepts,
  };
}

/** Durations (`500ms`, `30s`, `1h30m`, or plain milliseconds), held as milliseconds, at least `minMs`. */
export function duration(minMs: number): Kind<number> {
  const accepts = (v: unknown): v is number => Number.isFinite(v) && (v as number) >= minMs;
  return {
    expected: `a duration such as 500ms, 30s, 10m, 72h or 1h30m${minMs > 0 ? `, at least ${minMs} ms` : ""}`,
    parse: (text) => {
      let value: number;
      try {
        value = parseDuration(text);
      } catch {
        return undefined;
      }
      return accepts(value) ? value : undefined;
    },
    accepts,
  };
}

/** `true`/`false` (also `1`/`0`, any case). */
export function bool(): Kind<boolean> {
  return {
    expected: "true or false",
    parse: (text) => (/^(true|1)$/i.test(text) ? true : /^(false|0)$/i.test(text) ? false : undefined),
    accepts: (v): v is boolean => typeof v === "boolean",
  };
}

/** Any text. */
export function text(): Kind<string> {
  return { expected: "text", parse: (t) => t, accepts: (v): v is string => typeof v === "string" };
}

/** One of a fixed set of words. */
export function oneOf<const W extends string>(...words: readonly W[]): Kind<W> {
  const accepts = (v: unknown): v is W => (words as readonly unknown[]).includes(v);
  return {
    expected: `one of ${words.join(", ")}`,
    parse: (t) => (accepts(t) ? t : undefined),
    accepts,
  };
}

/** An absolute URL whose scheme is one of `schemes` (`"https:"`). */
export function url(...schemes: readonly string[]): Kind<string> {
  const accepts = (v: unknown): v is string => {
    if (typeof v !== "string") return false;
    try {
      return schemes.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  };
  return {
    expected: `an absolute URL starting with ${schemes.join(" or ")}`,
    parse: (t) => (accepts(t) ? t : undefined),
    accepts,
  };
}

/** Comma-separated IP addresses and CIDRs (empty: none). */
export function addressList(): Kind<string> {
  const accepts = (v: unknown): v is string => {
    if (typeof v !== "string") return false;
    try {
      parseTrustedProxies(v);
      return true;
    } catch {
      return false;
    }
  };
  return {
    expected: "comma-separated IP addresses or CIDRs (10.0.0.0/8, ::1)",
    parse: (t) => (accepts(t) ? t : undefined),
    accepts,
  };
}
