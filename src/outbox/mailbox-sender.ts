import type { Db } from "../db/types.ts";
import { uuidv7 } from "../domain/ids.ts";
import { mailboxQueries } from "../queries/mailbox.ts";
import { sealMail } from "./mailbox-sealing.ts";
import type { OutgoingMail, Sender, SendReceipt } from "./sender.ts";

/**
 * The dev mailbox: "delivers" into the database, browsable at `/dev/mailbox`. Subject and bodies
 * are stored sealed with `key` (the master key's mailbox key): they carry codes and links.
 */
export function mailboxSender(db: Db, key: Buffer): Sender {
  return {
    name: "mailbox",
    async send(mail: OutgoingMail): Promise<SendReceipt> {
      const id = uuidv7();
      await mailboxQueries(db).insert({
        id,
        outbox_id: mail.outboxId,
        org_id: mail.orgId,
        recipient: mail.to,
        ...sealMail(key, id, mail),
      });
      return { response: "stored in the dev mailbox" };
    },
  };
}
