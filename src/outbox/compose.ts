import type { Db } from "../db/types.ts";
import { open } from "../domain/secrets.ts";
import type { ClaimedMessage } from "../queries/outbox.ts";
import type { OutgoingMail } from "./sender.ts";
import { linkFor, renderMail } from "./templates.ts";

export interface ComposeOptions {
  db: Db;
  outboxKey: Buffer;
  from: string;
  externalUrl: string;
  defaultLanguage: string;
}

/**
 * Turns a claimed message into the mail its provider receives: opens the code, renders the texts
 * (the organization's own, read with the claim, over the bundled ones).
 */
export function composeMail(o: ComposeOptions, m: ClaimedMessage): OutgoingMail {
  const code = m.secret ? open(o.outboxKey, m.secret) : "";
  const overrides = m.texts;
  const input = { type: m.type, payload: m.payload, code, externalUrl: o.externalUrl };
  const mail = renderMail({
    ...input,
    defaultLanguage: o.defaultLanguage,
    overrides: (l) => overrides.get(l),
  });
  return {
    ...mail,
    to: m.recipient,
    from: o.from,
    messageId: `<${m.id}@usher>`,
    outboxId: m.id,
    orgId: m.orgId,
    args: {
      type: m.type,
      language: mail.language,
      userId: m.userId,
      code,
      link: linkFor(input),
      displayName: m.payload.displayName,
      username: m.payload.username,
      applicationName: m.payload.applicationName ?? "",
    },
  };
}
