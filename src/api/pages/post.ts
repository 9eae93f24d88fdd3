import { preparePassword } from "../../commands/password-change.ts";
import { checkPasswordPolicy, type PasswordPolicy } from "../../domain/password-policy.ts";
import { UsherError } from "../../errors/usher-error.ts";
import { BodyTooLarge, readBody } from "../http/io.ts";
import { checkFormToken, csrfKey } from "./csrf.ts";
import type { Flow } from "./flows.ts";
import type { FieldError } from "./html.ts";
import { formToken, header, linkTexts, type PageRequest, render } from "./page-request.ts";
import { pageClientAddress, takeHolderToken, takePostToken } from "./page-throttles.ts";
import { sendNewCode } from "./resend.ts";
import { seeOther } from "./respond.ts";
import type { PageTexts } from "./texts/types.ts";
import { formPage, invalidCodePage, messagePage, throttledPage } from "./views.ts";

const BODY_LIMIT = 16 * 1024;

/**
 * A form post to a hosted page, in this order: the body (at most 16 KiB, refused by its declared
 * length before anything else, so no database wait lets a large body pile up) → the client's
 * attempt throttle → a user id → the form token (and Origin) → "send me a new one", or the
 * fields, the code holder's throttle, then the code.
 * Only here is a code ever consumed; a GET just shows the form.
 */
export async function handlePost(p: PageRequest, flow: Flow): Promise<void> {
  const form = await readForm(p);
  // Too large: answered at once, before any database wait lets the rest of the body pile up.
  if (!form) {
    const texts = linkTexts(p, null);
    return render(p, 400, messagePage(texts, texts.badLink));
  }
  const wait = await takePostToken(p.deps, pageClientAddress(p.deps, p.req));
  const v = { userId: form.get("userID") ?? "", orgId: form.get("orgID") ?? "", code: normalizeCode(form) };
  const t = linkTexts(p, form.get("lang"));
  if (wait > 0) return render(p, 429, throttledPage(t, wait), { "retry-after": String(wait) });
  if (!v.userId || v.userId.length > 200) return render(p, 400, messagePage(t, t.badLink));
  const token = formToken(p, flow.name, v.userId);
  if (!trustedPost(p, flow, v.userId, form.get("form_token") ?? "")) {
    const errors = [{ field: "", message: t.formExpired }];
    return render(p, 403, formPage(t, flow, v, token, { policy: p.policy, errors }));
  }
  const lang = `lang=${t.lang}&flow=${flow.name}`;
  if (form.get("action") === "resend") {
    const sent = await sendNewCode(p.deps, flow.name, v.orgId, v.userId);
    if (sent.kind === "throttled") {
      const retry = String(sent.retryAfterSeconds);
      return render(p, 429, throttledPage(t, sent.retryAfterSeconds), { "retry-after": retry });
    }
    return seeOther(p.res, `/ui/login/sent?${lang}`, p.csp);
  }
  const errors = fieldErrors(t, flow, p.policy, v.code, form);
  if (errors.length > 0) return render(p, 400, formPage(t, flow, v, token, { policy: p.policy, errors }));
  const holderWait = await takeHolderToken(p.deps, v.orgId, v.userId);
  if (holderWait > 0)
    return render(p, 429, throttledPage(t, holderWait), { "retry-after": String(holderWait) });
  const password = flow.setsPassword
    ? await preparePassword({ plain: form.get("password") ?? "", changeRequired: false }, p.policy)
    : undefined;
  if (!(await flow.submit(p.deps, v.orgId, v.userId, v.code, password))) {
    return render(p, 400, invalidCodePage(t, flow, v, token));
  }
  return seeOther(p.res, p.successUrl ?? `/ui/login/done?${lang}`, p.csp);
}

/** The posted form; undefined for an oversized body (a broken request, answered like a bad link). */
async function readForm(p: PageRequest): Promise<URLSearchParams | undefined> {
  try {
    return new URLSearchParams((await readBody(p.req, BODY_LIMIT)).toString("utf8"));
  } catch (e) {
    if (e instanceof BodyTooLarge) return undefined;
    throw e;
  }
}

/** Codes are upper-case letters and digits; people type them with spaces or in lower case. */
function normalizeCode(form: URLSearchParams): string {
  return (form.get("code") ?? "").replace(/\s+/g, "").toUpperCase().slice(0, 64);
}

/**
 * Whether the post comes from a form Usher rendered in this browser: a valid token for this
 * form and user carrying the nonce of the browser's cookie, and no foreign `Origin`.
 */
function trustedPost(p: PageRequest, flow: Flow, userId: string, token: string): boolean {
  const origin = header(p.req, "origin");
  if (origin && origin !== "null") {
    const host = header(p.req, "host") ?? header(p.req, ":authority");
    let from: URL;
    try {
      from = new URL(origin);
    } catch {
      return false;
    }
    if (from.host !== host && from.origin !== new URL(p.deps.config.externalUrl).origin) return false;
  }
  const cookieNonce = p.setCookie ? undefined : p.nonce;
  return checkFormToken(csrfKey(p.deps.keys), token, flow.name, userId, cookieNonce, p.deps.now());
}

/** What is wrong with the typed fields, in the order of the form. */
function fieldErrors(
  t: PageTexts,
  flow: Flow,
  policy: PasswordPolicy,
  code: string,
  form: URLSearchParams,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!code) errors.push({ field: "code", message: t.codeMissing });
  if (!flow.setsPassword) return errors;
  const password = form.get("password") ?? "";
  try {
    checkPasswordPolicy(policy, password);
  } catch (e) {
    if (!(e instanceof UsherError)) throw e;
    const message =
      e.reason === "password_too_short"
        ? t.passwordTooShort(policy.minLength)
        : `${t.passwordRules} ${t.passwordHint(policy)}`;
    errors.push({ field: "password", message });
  }
  if (password !== (form.get("password2") ?? ""))
    errors.push({ field: "password2", message: t.passwordMismatch });
  return errors;
}
