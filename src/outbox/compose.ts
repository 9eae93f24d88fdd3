import type { Db } from "../db/types.ts";
import { open } from "../domain/secrets.ts";
import { messageTextQueries } from "../queries/message-texts.ts";
import type { OutboxMessage } from "./message.ts";
import type { OutgoingMail } from "./sender.ts";
import { linkFor, renderMail, type TextOverrides } from "./templates.ts";

export interface ComposeOptions {
  db: Db;
  outboxKey: Buffer;
  from: string;
  externalUrl: string;
  defaultLanguage: string;
}

/** Texts of an organization and message type, read once per claim. */
export type TextCache = Map<string, Promise<Map<string, TextOverrides>>>;

/** Turns a claimed message into the mail its provider receives: opens the code, renders the texts. */
export async function composeMail(
  o: ComposeOptions,
  m: OutboxMessage,
  texts: TextCache,
): Promise<OutgoingMail> {
  const code = m.secret ? open(o.outboxKey, m.secret) : "";
  const key = `${m.orgId}\u0000${m.type}`;
  let read = texts.get(key);
  if (!read) {
    read = messageTextQueries(o.db).forType(m.orgId, m.type);
    texts.set(key, read);
  }
  const overrides = await read;
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
