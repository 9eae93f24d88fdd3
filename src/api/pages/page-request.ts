import type { CommandDeps } from "../../commands/deps.ts";
import { type PasswordPolicy, passwordPolicyOf } from "../../domain/password-policy.ts";
import type { Req, Res } from "../http/io.ts";
import { csrfKey, issueFormToken, newNonce, nonceCookie, nonceFromCookies } from "./csrf.ts";
import { chooseTexts } from "./language.ts";
import { pageCsp, sendPage } from "./respond.ts";
import type { PageTexts } from "./texts/types.ts";

/** One request to a hosted page, with what every handler needs about it. */
export interface PageRequest {
  readonly deps: CommandDeps;
  readonly req: Req;
  readonly res: Res;
  readonly url: URL;
  /** The application URL to send people to after success, when configured and valid. */
  readonly successUrl: string | undefined;
  readonly csp: string;
  /** The configured password policy, shown on the forms and checked on submit. */
  readonly policy: PasswordPolicy;
  /** The browser's form nonce from its cookie, or a new one (then set with the response). */
  readonly nonce: string;
  readonly setCookie: string | undefined;
}

/** Gathers a page request: the success URL (its origin joins the CSP), the form nonce. */
export function pageRequest(deps: CommandDeps, req: Req, res: Res, url: URL): PageRequest {
  const successUrl = httpUrl(deps.config.uiSuccessUrl);
  const known = nonceFromCookies(header(req, "cookie"));
  const nonce = known ?? newNonce();
  const secure = deps.config.externalUrl.startsWith("https:");
  return {
    deps,
    req,
    res,
    url,
    successUrl,
    csp: pageCsp(successUrl ? [new URL(successUrl).origin] : []),
    policy: passwordPolicyOf(deps.config),
    nonce,
    setCookie: known ? undefined : nonceCookie(nonce, secure),
  };
}

/** Sends an HTML page, setting the nonce cookie when this request made one. */
export function render(
  p: PageRequest,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  const all: Record<string, string | string[]> = { ...headers };
  if (p.setCookie) all["set-cookie"] = [p.setCookie];
  sendPage(p.res, { status, html, csp: p.csp, headers: all });
}

/** A form token for this browser, form and user. */
export function formToken(p: PageRequest, form: string, userId: string): string {
  return issueFormToken(csrfKey(p.deps.keys), form, userId, p.nonce, p.deps.now());
}

/**
 * The texts of a page about a user: the language the link (or the posted form) names, else the
 * browser's, else the instance default. Never the user's stored preference: a page that
 * followed it for existing users only would tell anyone with a user id whether the account
 * exists. Usher's mails name the language they were written in, so the page matches the mail.
 */
export function linkTexts(p: PageRequest, linkLanguage: string | null | undefined): PageTexts {
  return browserTexts(p, linkLanguage ?? undefined);
}

/** The texts chosen by the browser (after an optional preference). */
export function browserTexts(p: PageRequest, preferred?: string): PageTexts {
  return chooseTexts(preferred, header(p.req, "accept-language"), p.deps.config.defaultLanguage);
}

/** A request header as one string. */
export function header(req: Req, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** The configured success URL when it is an absolute http(s) URL. */
function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
