import type { Queryable } from "../db/types.ts";
import type { MessageType } from "../outbox/message.ts";
import type { TextOverrides } from "../outbox/templates.ts";

interface Row {
  language: string;
  subject: string | null;
  greeting: string | null;
  body: string | null;
  button_text: string | null;
}

const toOverrides = (r: Row): TextOverrides => {
  const o: TextOverrides = {};
  if (r.subject) o.subject = r.subject;
  if (r.greeting) o.greeting = r.greeting;
  if (r.body) o.body = r.body;
  if (r.button_text) o.buttonText = r.button_text;
  return o;
};

/** SQL over organizations' own message texts. */
export function messageTextQueries(q: Queryable) {
  return {
    /** The organization's texts for one message type, by language. */
    async forType(orgId: string, type: MessageType): Promise<Map<string, TextOverrides>> {
      const rows = await q.query<Row>(
        "select language, subject, greeting, body, button_text from message_texts where org_id = $1 and message_type = $2",
        [orgId, type],
      );
      return new Map(rows.map((r) => [r.language, toOverrides(r)]));
    },

    async put(
      orgId: string,
      type: MessageType,
      language: string,
      texts: TextOverrides,
      at: Date,
    ): Promise<void> {
      await q.query(
        `insert into message_texts (org_id, message_type, language, subject, greeting, body, button_text, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (org_id, message_type, language) do update set subject = excluded.subject,
           greeting = excluded.greeting, body = excluded.body, button_text = excluded.button_text,
           updated_at = excluded.updated_at`,
        [
          orgId,
          type,
          language,
          texts.subject ?? null,
          texts.greeting ?? null,
          texts.body ?? null,
          texts.buttonText ?? null,
          at,
        ],
      );
    },

    async remove(orgId: string, type: MessageType, language: string): Promise<boolean> {
      const rows = await q.query(
        "delete from message_texts where org_id = $1 and message_type = $2 and language = $3 returning 1",
        [orgId, type, language],
      );
      return rows.length > 0;
    },
  };
}
