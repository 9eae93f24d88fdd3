import type { Queryable } from "../db/types.ts";
import { write } from "../db/write.ts";
import { OUTBOX_CHANNEL } from "../queries/outbox.ts";
import type { NewMessage } from "./message.ts";

/** A message to queue, with its id and the time it is queued at. */
export interface Enqueued {
  id: string;
  message: NewMessage;
  at: Date;
}

/**
 * Queues messages for delivery: the one place that inserts into the outbox. A message that
 * carries a code supersedes the queued (not yet claimed) messages of the same user and code
 * kind, whose code is no longer valid. Idle workers of every process are notified on commit.
 * One statement for any number of messages, so a batch of invites costs what one does; nobody
 * reads its rows, so a transaction pipelines it with its other writes (`write`).
 */
export async function enqueueMessages(q: Queryable, messages: readonly Enqueued[]): Promise<void> {
  if (messages.length === 0) return;
  const col = <T>(f: (e: Enqueued) => T): T[] => messages.map(f);
  await write(
    q,
    `with m as (
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[])
         as m(id, org_id, user_id, message_type, code_kind, recipient, payload, secret, at, expires_at)),
     superseded as (
       update outbox o set status = 'superseded', secret = null, updated_at = m.at
         from m
        where m.code_kind is not null and o.org_id = m.org_id and o.user_id = m.user_id
          and o.code_kind = m.code_kind and o.status = 'queued'
        returning 1),
     queued as (
       insert into outbox (id, org_id, user_id, message_type, code_kind, recipient, status, payload, secret,
         next_attempt_at, created_at, updated_at, expires_at)
       select id, org_id, user_id, message_type, code_kind, recipient, 'queued', payload::jsonb, secret,
         at, at, at, expires_at
         from m
       returning 1)
     select (select count(*) from superseded) as superseded, pg_notify($11, '')
       from (select 1 from queued limit 1) q`,
    [
      col((e) => e.id),
      col((e) => e.message.orgId),
      col((e) => e.message.userId),
      col((e) => e.message.type),
      col((e) => e.message.codeKind),
      col((e) => e.message.recipient),
      col((e) => JSON.stringify(e.message.payload)),
      col((e) => e.message.secret),
      col((e) => e.at),
      col((e) => e.message.expiresAt),
      OUTBOX_CHANNEL,
    ],
  );
}
