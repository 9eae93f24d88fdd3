import type { Queryable } from "../db/types.ts";

/** A dev-mailbox row as stored: subject and bodies sealed (see `outbox/mailbox-sealing.ts`). */
export interface MailboxRow {
  id: string;
  outbox_id: string;
  org_id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: Date;
}

/** SQL over the dev mailbox. */
export function mailboxQueries(q: Queryable) {
  return {
    async insert(row: Omit<MailboxRow, "created_at">): Promise<void> {
      await q.query(
        `insert into mailbox (id, outbox_id, org_id, recipient, subject, text_body, html_body)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, row.outbox_id, row.org_id, row.recipient, row.subject, row.text_body, row.html_body],
      );
    },

    /** The newest `limit` messages, newest first. */
    async latest(limit: number): Promise<MailboxRow[]> {
      return q.query<MailboxRow>(
        `select id, outbox_id, org_id, recipient, subject, text_body, html_body, created_at
           from mailbox order by created_at desc, id desc limit $1`,
        [limit],
      );
    },
  };
}
