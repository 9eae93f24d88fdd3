/** What one path segment of a template accepts. */
export type SegmentMatcher =
  /** exactly this (already decoded) text */
  | { kind: "literal"; value: string }
  /** `*`: any single segment */
  | { kind: "any" }
  /** `**`: all remaining segments, zero or more; only ever the last matcher */
  | { kind: "rest" };

/** A `{field.path}` variable: which request field receives which segments of the path. */
export interface VariableBinding {
  /** Dotted proto field path as written in the template, e.g. `user_id` or `name.parent`. */
  fieldPath: string;
  /** Index of the first captured segment. */
  start: number;
  /** Index after the last captured segment; `undefined` when the variable ends in `**`. */
  end: number | undefined;
}

/** A parsed `google.api.http` path template. */
export interface PathTemplate {
  segments: SegmentMatcher[];
  variables: VariableBinding[];
  /** The custom verb after the last `:` (`/v1/{name}:cancel` → `cancel`), `""` when absent. */
  verb: string;
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Parses a path template in the grammar of `google/api/http.proto`:
 * `"/" Segment {"/" Segment} [":" Verb]`, where a segment is a literal, `*`, `**` or
 * `{field.path}` / `{field.path=sub/*}`. Throws on malformed templates so that a bad
 * annotation fails at startup rather than on the first request.
 */
export function parsePathTemplate(template: string): PathTemplate {
  const fail = (why: string): Error => new Error(`invalid path template ${JSON.stringify(template)}: ${why}`);
  if (!template.startsWith("/")) throw fail('must start with "/"');

  // The verb colon is the first one after the last "/" or "}", so colons inside a variable's
  // sub-template cannot be mistaken for it.
  const tail = Math.max(template.lastIndexOf("/"), template.lastIndexOf("}"));
  const colon = template.indexOf(":", tail);
  const path = colon < 0 ? template.slice(1) : template.slice(1, colon);
  const verb = colon < 0 ? "" : template.slice(colon + 1);

  const segments: SegmentMatcher[] = [];
  const variables: VariableBinding[] = [];
  for (const part of splitTopLevel(path, fail)) {
    if (!part.includes("{")) {
      segments.push(plainSegment(part, fail));
      continue;
    }
    if (!part.startsWith("{") || !part.endsWith("}"))
      throw fail(`variable must span whole segments: ${part}`);
    const inner = part.slice(1, -1);
    const eq = inner.indexOf("=");
    const fieldPath = eq < 0 ? inner : inner.slice(0, eq);
    if (!FIELD_PATH.test(fieldPath)) throw fail(`bad field path ${JSON.stringify(fieldPath)}`);
    const start = segments.length;
    for (const sub of (eq < 0 ? "*" : inner.slice(eq + 1)).split("/")) {
      segments.push(plainSegment(sub, fail));
    }
    const deep = segments.at(-1)?.kind === "rest";
    variables.push({ fieldPath, start, end: deep ? undefined : segments.length });
  }
  const restAt = segments.findIndex((s) => s.kind === "rest");
  if (restAt >= 0 && restAt !== segments.length - 1) throw fail('"**" must be the last segment');
  return { segments, variables, verb };
}

/** Splits on "/" outside braces, since `{name=a/*}` spans several segments. */
function splitTopLevel(path: string, fail: (why: string) => Error): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "/" && depth === 0) {
      parts.push(path.slice(from, i));
      from = i + 1;
    }
    if (depth < 0 || depth > 1) throw fail("unbalanced or nested braces");
  }
  if (depth !== 0) throw fail("unclosed variable");
  parts.push(path.slice(from));
  return parts;
}

function plainSegment(text: string, fail: (why: string) => Error): SegmentMatcher {
  if (text === "*") return { kind: "any" };
  if (text === "**") return { kind: "rest" };
  if (/[{}*]/.test(text)) throw fail(`bad segment ${JSON.stringify(text)}`);
  return { kind: "literal", value: text };
}
