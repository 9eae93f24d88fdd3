import { open, seal } from "../domain/secrets.ts";
import type { MailboxRow } from "../queries/mailbox.ts";

/** What a developer reads in the dev mailbox. */
export interface MailboxContent {
  subject: string;
  text: string;
  html: string;
}

/** Shown instead of a message that cannot be opened (stored before encryption, or another master key). */
export const UNREADABLE: MailboxContent = {
  subject: "(unreadable message)",
  text: "This message was stored before the dev mailbox was encrypted, or under another master key.",
  html: "<p>This message was stored before the dev mailbox was encrypted, or under another master key.</p>",
};

const FIELDS = ["subject", "text_body", "html_body"] as const;

/**
 * Seals a rendered mail for the `mailbox` table: the subject and bodies carry codes and links,
 * so they are stored only encrypted with the mailbox key, each bound to its row and column.
 */
export function sealMail(
  key: Buffer,
  id: string,
  mail: MailboxContent,
): Pick<MailboxRow, (typeof FIELDS)[number]> {
  return {
    subject: seal(key, mail.subject, `mailbox/${id}/subject`),
    text_body: seal(key, mail.text, `mailbox/${id}/text_body`),
    html_body: seal(key, mail.html, `mailbox/${id}/html_body`),
  };
}

/** Opens a stored mail; a row that cannot be opened reads as `UNREADABLE`, never as its stored text. */
export function openMail(key: Buffer, row: MailboxRow): MailboxContent {
  try {
    const [subject, text, html] = FIELDS.map((f) => open(key, row[f], `mailbox/${row.id}/${f}`));
    return { subject: subject ?? "", text: text ?? "", html: html ?? "" };
  } catch {
    return UNREADABLE;
  }
}
