/** Joins words as a sentence does: "a, b and c" (with the language's "and"). */
export function joinWords(words: readonly string[], and: string): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${and} ${words[words.length - 1]}`;
}

/** The character classes a policy asks for, in a fixed order, named by `names`. */
export function requiredClasses(
  p: { hasLowercase: boolean; hasUppercase: boolean; hasNumber: boolean; hasSymbol: boolean },
  names: { lower: string; upper: string; number: string; symbol: string },
): string[] {
  const wanted: Array<[boolean, string]> = [
    [p.hasLowercase, names.lower],
    [p.hasUppercase, names.upper],
    [p.hasNumber, names.number],
    [p.hasSymbol, names.symbol],
  ];
  return wanted.filter(([on]) => on).map(([, name]) => name);
}
