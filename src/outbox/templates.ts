import { renderUrlTemplate } from "../domain/url-template.ts";
import type { MessagePayload, MessageType } from "./message.ts";

/** A rendered email. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderInput {
  type: MessageType;
  payload: MessagePayload;
  code: string;
  /** Public origin for Usher's hosted pages. */
  externalUrl: string;
}

const HOSTED_PATHS: Readonly<Record<MessageType, string>> = {
  InviteUser: "/ui/login/user/invite",
  VerifyEmail: "/ui/login/mail/verification",
  InitCode: "/ui/login/user/init",
  PasswordReset: "/ui/login/password/init",
};

interface Text {
  subject: string;
  intro: string;
  button: string;
}

const TEXTS: Readonly<Record<MessageType, (p: MessagePayload) => Text>> = {
  InviteUser: (p) => ({
    subject: `Invitation to ${p.applicationName ?? "Usher"}`,
    intro: `You have been invited to ${p.applicationName ?? "Usher"}. Accept the invitation with the code below or the button.`,
    button: "Accept invite",
  }),
  VerifyEmail: () => ({
    subject: "Verify email",
    intro: "A new email address was added to your account. Verify it with the code below or the button.",
    button: "Verify email",
  }),
  InitCode: () => ({
    subject: "Initialize User",
    intro: "Your account was created. Finish setting it up with the code below or the button.",
    button: "Finish initialization",
  }),
  PasswordReset: () => ({
    subject: "Reset password",
    intro: "A password reset was requested for your account. Use the code below or the button.",
    button: "Reset password",
  }),
};

/** The link in the mail: the call's URL template, else Usher's hosted page. */
export function linkFor(input: RenderInput): string {
  const { payload: p, code } = input;
  if (p.urlTemplate)
    return renderUrlTemplate(p.urlTemplate, { UserID: p.userId, Code: code, OrgID: p.orgId });
  const q = new URLSearchParams({ userID: p.userId, code, orgID: p.orgId });
  return `${input.externalUrl}${HOSTED_PATHS[input.type]}?${q}`;
}

/** Renders a message's subject, text and HTML; every argument is escaped in the HTML part. */
export function renderMail(input: RenderInput): RenderedMail {
  const t = TEXTS[input.type](input.payload);
  const link = linkFor(input);
  const name = input.payload.givenName || input.payload.displayName || input.payload.username;
  const greeting = `Hello ${name},`;
  const text = `${greeting}\n\n${t.intro}\n\nYour code: ${input.code}\n\n${t.button}: ${link}\n`;
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#1a1a1a">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(t.intro)}</p>
<p>Your code: <strong style="font-size:1.3em;letter-spacing:.1em">${escapeHtml(input.code)}</strong></p>
<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 18px;background:#1a56db;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(t.button)}</a></p>
</body></html>`;
  return { subject: stripLineBreaks(t.subject), text, html };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Header values must never carry CR/LF (header injection). */
function stripLineBreaks(s: string): string {
  return s.replace(/[\r\n]+/g, " ");
}
