import { escapeHtml as e } from "../../outbox/templates.ts";
import { STYLESHEET_PATH } from "./respond.ts";
import type { PageTexts } from "./texts/types.ts";

/** A problem with one field: shown in the summary (linked to the field) and at the field. */
export interface FieldError {
  /** The field's id; empty for a problem with the whole form. */
  field: string;
  message: string;
}

/**
 * The page shell: `lang`, a title that starts with "Error:" when the page reports errors, the
 * stylesheet, and one `<main>` landmark. `body` is trusted HTML built from escaped parts.
 */
export function layout(t: PageTexts, title: string, body: string, hasErrors = false): string {
  const fullTitle = `${hasErrors ? t.errorTitlePrefix : ""}${title}`;
  return `<!doctype html>
<html lang="${e(t.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${e(fullTitle)}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head><body><main>
<h1>${e(title)}</h1>
${body}
</main></body></html>`;
}

/** A list of errors at the top of a form, each a link to its field. */
export function errorSummary(t: PageTexts, errors: readonly FieldError[]): string {
  if (errors.length === 0) return "";
  const items = errors
    .map((er) => `<li>${er.field ? `<a href="#${e(er.field)}">${e(er.message)}</a>` : e(er.message)}</li>`)
    .join("");
  return `<div class="summary" role="alert" aria-labelledby="summary-title">
<h2 id="summary-title">${e(t.errorSummary)}</h2><ul>${items}</ul></div>`;
}

/** One input of a form: its label, hint and error are rendered with it. */
export interface InputSpec {
  id: string;
  label: string;
  type: "text" | "password";
  value?: string;
  hint?: string;
  error?: string | undefined;
  autocomplete: string;
  minLength?: number;
  className?: string;
  extra?: string;
  autofocus?: boolean;
}

/**
 * A labelled input with its hint and error tied to it by `aria-describedby`; an invalid
 * input carries `aria-invalid`. The field's name is its id.
 */
export function input(s: InputSpec): string {
  const described: string[] = [];
  let notes = "";
  if (s.hint) {
    described.push(`${s.id}-hint`);
    notes += `<span class="hint" id="${s.id}-hint">${e(s.hint)}</span>`;
  }
  if (s.error) {
    described.push(`${s.id}-error`);
    notes += `<span class="error" id="${s.id}-error">${e(s.error)}</span>`;
  }
  const attrs = [
    `id="${s.id}"`,
    `name="${s.id}"`,
    `type="${s.type}"`,
    `autocomplete="${s.autocomplete}"`,
    "required",
    s.value ? `value="${e(s.value)}"` : "",
    s.minLength ? `minlength="${s.minLength}"` : "",
    s.className ? `class="${s.className}"` : "",
    described.length ? `aria-describedby="${described.join(" ")}"` : "",
    s.error ? `aria-invalid="true"` : "",
    s.autofocus ? "autofocus" : "",
    s.extra ?? "",
  ].filter(Boolean);
  return `<div class="field"><label for="${s.id}">${e(s.label)}</label>${notes}<input ${attrs.join(" ")}></div>`;
}

/** Hidden form fields. */
export function hidden(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`)
    .join("");
}

/** A paragraph of escaped text. */
export const para = (text: string, className?: string): string =>
  `<p${className ? ` class="${className}"` : ""}>${e(text)}</p>`;
