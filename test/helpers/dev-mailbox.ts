import assert from "node:assert/strict";
import { rest } from "./clients.ts";
import { getPage, linkFields, postForm } from "./form-client.ts";

/** A mail as `/dev/mailbox/messages` shows it (opened). */
export interface MailboxMail {
  to: string;
  subject: string;
  text: string;
}

/** The `count`-th mail (1-based, oldest first) to `email` in the dev mailbox of the Usher at `baseUrl`. */
export async function mailboxMail(baseUrl: string, email: string, count = 1): Promise<MailboxMail> {
  for (let i = 0; i < 400; i++) {
    const res = await rest(baseUrl, "GET", "/dev/mailbox/messages?limit=500");
    const mine = (res.body.messages as MailboxMail[]).filter((m) => m.to === email).reverse();
    const mail = mine[count - 1];
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail #${count} to ${email}`);
}

/** The code in a mail's text, if any. */
export function codeIn(mail: MailboxMail): string | undefined {
  return /Your code: ([A-Z0-9]+)/.exec(mail.text)?.[1];
}

/** The link to a hosted page in a mail. */
export function pageLinkIn(mail: MailboxMail, path: string): string {
  const link = (mail.text.match(/https?:\/\/\S+/g) ?? []).find((u) => new URL(u).pathname === path);
  assert.ok(link, `a ${path} link in "${mail.subject}": ${mail.text}`);
  return link;
}

/** Submits a hosted page's form as a browser would (GET for token and cookie, then POST): 303. */
export async function submitPage(link: string, fields: Record<string, string>): Promise<void> {
  const page = await getPage(link);
  assert.equal(page.status, 200, page.html);
  const done = await postForm(
    new URL(new URL(link).pathname, link).toString(),
    { ...linkFields(link), ...fields, form_token: page.token ?? "", action: "submit" },
    { cookie: page.cookie ?? "" },
  );
  assert.equal(done.status, 303, `${link}: ${done.status} ${done.html.slice(0, 400)}`);
}
