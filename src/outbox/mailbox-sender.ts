import type { Db } from "../db/types.ts";
import { uuidv7 } from "../domain/ids.ts";
import type { OutgoingMail, Sender, SendReceipt } from "./sender.ts";

/** The dev mailbox: "delivers" into the database, browsable at `/dev/mailbox`. */
export function mailboxSender(db: Db): Sender {
  return {
    name: "mailbox",
    async send(mail: OutgoingMail): Promise<SendReceipt> {
      await db.query(
        `insert into mailbox (id, outbox_id, org_id, recipient, subject, text_body, html_body)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [uuidv7(), mail.outboxId, mail.orgId, mail.to, mail.subject, mail.text, mail.html],
      );
      return { response: "stored in the dev mailbox" };
    },
  };
}
