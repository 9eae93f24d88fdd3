import type { PasswordPolicy } from "../../domain/password-policy.ts";
import { escapeHtml as e } from "../../outbox/templates.ts";
import type { Flow } from "./flows.ts";
import { errorSummary, type FieldError, hidden, input, layout, para } from "./html.ts";
import type { MessageText, PageTexts } from "./texts/types.ts";

/** What a form is about: the user and organization from the link, and the code typed or linked. */
export interface FormValues {
  userId: string;
  orgId: string;
  code: string;
}

/** The form a link opens: the code (prefilled from the link) and, where needed, a new password. */
export function formPage(
  t: PageTexts,
  flow: Flow,
  v: FormValues,
  token: string,
  form: { policy: PasswordPolicy; errors?: readonly FieldError[] },
): string {
  const errors = form.errors ?? [];
  const ft = t.flows[flow.name];
  const errorOf = (field: string) => errors.find((er) => er.field === field)?.message;
  const first = errors.find((er) => er.field)?.field;
  let fields = input({
    id: "code",
    label: t.codeLabel,
    type: "text",
    value: v.code,
    hint: t.codeHint,
    error: errorOf("code"),
    autocomplete: "one-time-code",
    className: "code",
    extra: 'autocapitalize="characters" spellcheck="false"',
    autofocus: first === "code",
  });
  if (flow.setsPassword) {
    const pw = { type: "password", autocomplete: "new-password", minLength: form.policy.minLength } as const;
    fields += input({
      ...pw,
      id: "password",
      label: t.passwordLabel,
      hint: t.passwordHint(form.policy),
      error: errorOf("password"),
      autofocus: first === "password",
    });
    fields += input({
      ...pw,
      id: "password2",
      label: t.confirmLabel,
      error: errorOf("password2"),
      autofocus: first === "password2",
    });
  }
  const body = `${para(ft.intro, "intro")}
${errorSummary(t, errors)}
<form method="post" action="${flow.path}" novalidate>
${hidden({ userID: v.userId, orgID: v.orgId, lang: t.lang, form_token: token })}
${fields}
<button class="primary" type="submit" name="action" value="submit">${e(ft.submit)}</button>
</form>
${resendSection(t, flow, v, token)}`;
  return layout(t, ft.title, body, errors.length > 0);
}

/** The answer to a wrong, expired or used code (never saying which), with a way on. */
export function invalidCodePage(t: PageTexts, flow: Flow, v: FormValues, token: string): string {
  const retry = `${flow.path}?${new URLSearchParams({ userID: v.userId, orgID: v.orgId, lang: t.lang })}`;
  const body = `${para(t.invalid.body)}
${para(t.invalid.alreadyDone)}
<p><a class="button secondary" href="${e(retry)}">${e(t.invalid.retry)}</a></p>
${resendSection(t, flow, v, token)}`;
  return layout(t, t.invalid.title, body, true);
}

/** The page after success when no application URL is configured. */
export function donePage(t: PageTexts, flow: Flow): string {
  const ft = t.flows[flow.name];
  return layout(t, ft.doneTitle, `${para(ft.doneBody)}\n${para(t.closePage)}`);
}

/** "Try again in N minutes" (the send or attempt throttle). */
export function throttledPage(t: PageTexts, retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return layout(t, t.throttled.title, para(t.throttled.body(minutes)));
}

/** A page with a title and a paragraph (sent, bad link, not found, failure). */
export function messagePage(t: PageTexts, m: MessageText): string {
  return layout(t, m.title, para(m.body));
}

/** The "send me a new one" form: its own token-protected POST. */
function resendSection(t: PageTexts, flow: Flow, v: FormValues, token: string): string {
  return `<section class="resend" aria-labelledby="resend-title">
<h2 id="resend-title">${e(t.resendHeading)}</h2>
${para(t.resendText)}
<form method="post" action="${flow.path}">
${hidden({ userID: v.userId, orgID: v.orgId, lang: t.lang, form_token: token })}
<button class="secondary" type="submit" name="action" value="resend">${e(t.resendButton)}</button>
</form></section>`;
}
