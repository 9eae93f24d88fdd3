import { isHttpLink, renderUrlTemplate } from "../domain/url-template.ts";
import type { MessagePayload, MessageType } from "./message.ts";
import { fillText, type TextVars } from "./text-template.ts";
import { BUNDLED, pickLanguage } from "./texts/index.ts";
import type { MessageTexts, OverridableField } from "./texts/types.ts";

/** A rendered email. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  language: string;
}

/** An organization's own texts for one message type and language. */
export type TextOverrides = Partial<Record<OverridableField, string>>;

export interface RenderInput {
  type: MessageType;
  payload: MessagePayload;
  code: string;
  /** Public origin for Usher's hosted pages. */
  externalUrl: string;
  /** The instance's default language, used when the user's is not bundled. */
  defaultLanguage?: string;
  /** Looks up the organization's texts for a language (none: the bundled ones). */
  overrides?: (language: string) => TextOverrides | undefined;
}

const HOSTED_PATHS: Readonly<Record<MessageType, string>> = {
  InviteUser: "/ui/login/user/invite",
  VerifyEmail: "/ui/login/mail/verification",
  InitCode: "/ui/login/user/init",
  PasswordReset: "/ui/login/password/init",
};

/**
 * The link in the mail: the call's URL template, else Usher's hosted page (with ZITADEL's
 * `userID`, `code`, `orgID` and the mail's `lang`). A template is checked
 * when a call gives it; one stored before that check existed and rendering to anything but an
 * http(s) URL is not mailed, the hosted page is linked instead.
 */
export function linkFor(
  input: Pick<RenderInput, "type" | "payload" | "code" | "externalUrl">,
  language?: string,
): string {
  const { payload: p, code } = input;
  if (p.urlTemplate) {
    const link = renderUrlTemplate(p.urlTemplate, { UserID: p.userId, Code: code, OrgID: p.orgId });
    if (isHttpLink(link)) return link;
  }
  const q = new URLSearchParams({ userID: p.userId, code, orgID: p.orgId });
  // The page speaks the mail's language without looking the user up (see pages' `linkTexts`).
  if (language) q.set("lang", language);
  return `${input.externalUrl}${HOSTED_PATHS[input.type]}?${q}`;
}

/**
 * Renders a message in the user's language (then the instance default, then English), with the
 * organization's overrides on top. Every value is HTML-escaped in the HTML part, and the subject
 * never carries a line break (no header injection).
 */
export function renderMail(input: RenderInput): RenderedMail {
  const language = pickLanguage(input.payload.preferredLanguage, input.defaultLanguage ?? "en");
  const bundled = BUNDLED[language]?.[input.type] as MessageTexts;
  const texts: MessageTexts = { ...bundled, ...definedOnly(input.overrides?.(language)) };
  const p = input.payload;
  const vars: TextVars = {
    ApplicationName: p.applicationName || "Usher",
    DisplayName: p.displayName || p.givenName || p.username,
    GivenName: p.givenName,
    Username: p.username,
  };
  const t = (s: string) => fillText(s, vars);
  const link = linkFor(input, language);
  const subject = t(texts.subject)
    .replace(/[\r\n]+/g, " ")
    .trim();
  const text = `${t(texts.greeting)}\n\n${t(texts.body)}\n\n${texts.codeLabel}: ${input.code}\n\n${t(texts.buttonText)}: ${link}\n\n${texts.footer}\n`;
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${e(language)}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<p style="font-size:16px">${e(t(texts.greeting))}</p>
<p style="font-size:16px;line-height:1.5">${e(t(texts.body))}</p>
<p style="font-size:16px">${e(texts.codeLabel)}: <strong style="font-size:20px;letter-spacing:2px">${e(input.code)}</strong></p>
<p><a href="${e(link)}" style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-size:16px">${e(t(texts.buttonText))}</a></p>
<p style="font-size:13px;color:#4b5563">${e(texts.footer)}</p>
</div></body></html>`;
  return { subject, text, html, language };
}

function definedOnly(o: TextOverrides | undefined): TextOverrides {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => typeof v === "string" && v.length > 0));
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
