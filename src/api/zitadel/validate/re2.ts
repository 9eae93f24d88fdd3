/**
 * PGV's `pattern` rules are Go RE2 expressions matched with `MatchString` (unanchored). Most
 * RE2 syntax is valid JavaScript with the `u` flag; the differences handled here are leading
 * flag groups (`(?i)`), `\A`/`\z`, `(?P<name>…)` and one-letter Unicode classes (`\pL`).
 *
 * Not handled: POSIX classes (`[[:alpha:]]`), `\Q…\E`, flags in mid-pattern and
 * non-greedy-by-default (`(?U)`). A pattern that does not translate yields undefined and the
 * rule is skipped rather than rejecting valid input.
 */

/** The JavaScript equivalent of an RE2 pattern, or undefined when it cannot be expressed. */
export function compileRe2(pattern: string): RegExp | undefined {
  let source = pattern;
  let flags = "u";
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    const groupFlags = leading[1] ?? "";
    if (groupFlags.includes("U")) return undefined;
    flags += groupFlags;
    source = source.slice(leading[0].length);
  }
  source = source.replace(/\(\?P</g, "(?<");
  if (/\[\[:|\\Q|\(\?[a-zA-Z]/.test(source)) return undefined;
  source = source
    .replace(/\\A/g, "(?<![\\s\\S])")
    .replace(/\\z/g, "$(?![\\s\\S])")
    .replace(/\\([pP])([A-Za-z])/g, "\\$1{$2}");
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}
