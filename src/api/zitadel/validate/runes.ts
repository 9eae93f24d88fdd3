/**
 * Go measures strings in UTF-8: `utf8.RuneCountInString` for PGV's `min_len`/`max_len`/`len`
 * and `len()` (bytes) for `min_bytes`/`max_bytes`. JavaScript strings are UTF-16, so both are
 * counted here by hand — without allocating, as these run for nearly every request field.
 *
 * A lone surrogate counts as one rune of three bytes: it reaches the wire as U+FFFD.
 */

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Number of Unicode code points (Go runes) in `s`. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
      n--;
      i++;
    }
  }
  return n;
}

/** Length of `s` encoded as UTF-8, in bytes (Go's `len(s)`). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
