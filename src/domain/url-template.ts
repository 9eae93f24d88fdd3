import { invalidArgument, type UsherError } from "../errors/usher-error.ts";

/** The values a link template may use, as in ZITADEL: `{{.UserID}}`, `{{.Code}}`, `{{.OrgID}}`. */
export interface UrlTemplateData {
  UserID: string;
  Code: string;
  OrgID: string;
}

const FIELDS = new Set<string>(["UserID", "Code", "OrgID"]);

type Part = { text: string } | { field: keyof UrlTemplateData };

/**
 * Parses the safe subset of Go's text/template that ZITADEL guarantees for link templates:
 * plain text and the actions `{{.UserID}}`, `{{.Code}}`, `{{.OrgID}}` (with optional spaces and
 * `-` trim markers). Anything Go could not parse fails like Go's parse step (`DOMAIN-oGh5e`); a
 * field reference Go would parse but not execute fails like its execution (`DOMAIN-ieYa7`).
 */
export function parseUrlTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf("{{");
    if (open < 0) {
      parts.push({ text: rest });
      break;
    }
    let text = rest.slice(0, open);
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) throw parseError();
    let action = rest.slice(open + 2, close);
    let after = rest.slice(close + 2);
    if (/^-\s/.test(action)) {
      text = text.trimEnd();
      action = action.slice(1);
    }
    if (/\s-$/.test(action)) {
      after = after.trimStart();
      action = action.slice(0, -1);
    }
    if (text) parts.push({ text });
    parts.push({ field: fieldOf(action.trim()) });
    rest = after;
  }
  return parts;
}

function fieldOf(action: string): keyof UrlTemplateData {
  if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(action)) throw parseError();
  const path = action.slice(1).split(".");
  const [first] = path;
  if (path.length !== 1 || first === undefined || !FIELDS.has(first)) throw executeError();
  return first as keyof UrlTemplateData;
}

/** Renders a template with real values (after `parseUrlTemplate` accepted it). */
export function renderUrlTemplate(template: string, data: UrlTemplateData): string {
  return parseUrlTemplate(template)
    .map((p) => ("text" in p ? p.text : data[p.field]))
    .join("");
}

/** The values of the request-time probe rendering (none of them holds a `:` or a `/`). */
const PROBE: UrlTemplateData = { UserID: "userID", Code: "code", OrgID: "orgID" };

/**
 * The request-time check: the template must parse, render with probe values, and that rendering
 * must be an absolute http(s) URL (`USHER-LINK1`). ZITADEL stops at the rendering and so
 * mails `javascript:` and `data:` links; Usher is stricter. The probe values carry no `:` or
 * `/`, so a rendering that starts with `http://` or `https://` took that scheme from the
 * template's own text, and real values cannot change it.
 */
export function checkUrlTemplate(template: string): void {
  if (!isHttpLink(renderUrlTemplate(template, PROBE))) throw schemeError();
}

/** Whether a link is an absolute http(s) URL, its scheme written out at the very start. */
export function isHttpLink(link: string): boolean {
  if (!/^https?:\/\//i.test(link)) return false;
  try {
    const url = new URL(link);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const schemeError = (): UsherError => invalidArgument("USHER-LINK1", "Errors.User.InvalidURLTemplate");
const parseError = (): UsherError => invalidArgument("DOMAIN-oGh5e", "Errors.User.InvalidURLTemplate");
const executeError = (): UsherError => invalidArgument("DOMAIN-ieYa7", "Errors.User.InvalidURLTemplate");
