/** The values a message text may use. */
export interface TextVars {
  ApplicationName: string;
  DisplayName: string;
  GivenName: string;
  Username: string;
}

export const TEXT_VARS: ReadonlyArray<keyof TextVars> = [
  "ApplicationName",
  "DisplayName",
  "GivenName",
  "Username",
];

const ACTION = /\{\{\s*\.([A-Za-z]+)\s*\}\}/g;

/** The first problem in a text template (`{{.Unknown}}`, an unclosed `{{`), or undefined. */
export function textTemplateProblem(text: string): string | undefined {
  for (const m of text.matchAll(ACTION)) {
    if (!TEXT_VARS.includes(m[1] as keyof TextVars))
      return `unknown field {{.${m[1]}}} (known: ${TEXT_VARS.join(", ")})`;
  }
  if (text.replace(ACTION, "").includes("{{")) return "a {{ without a field like {{.DisplayName}}";
  return undefined;
}

/** Fills `{{.Field}}` placeholders with plain values (escaping is the caller's concern). */
export function fillText(text: string, vars: TextVars): string {
  return text.replace(ACTION, (whole, name: string) => (name in vars ? vars[name as keyof TextVars] : whole));
}
