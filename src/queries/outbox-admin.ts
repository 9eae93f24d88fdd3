import type { Queryable } from "../db/types.ts";

/** A message as operators see it: everything but the sealed code. */
export interface MessageRecord {
  id: string;
  org_id: string;
  user_id: string;
  message_type: string;
  code_kind: string | null;
  recipient: string;
  status: string;
  attempts: number;
  provider: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  next_attempt_at: Date;
  sent_at: Date | null;
  expires_at: Date;
}

const COLUMNS = `id, org_id, user_id, message_type, code_kind, recipient, status, attempts, provider, last_error,
  created_at, updated_at, next_attempt_at, sent_at, expires_at`;

/** Operator queries over the outbox (`usher mail`). */
export function outboxAdminQueries(q: Queryable) {
  return {
    async list(filter: {
      status?: string | undefined;
      userId?: string | undefined;
      limit: number;
    }): Promise<MessageRecord[]> {
      return q.query<MessageRecord>(
        `select ${COLUMNS} from outbox
          where ($1::text is null or status = $1) and ($2::text is null or user_id = $2)
          order by created_at desc, id desc limit $3`,
        [filter.status ?? null, filter.userId ?? null, filter.limit],
      );
    },
    async get(id: string): Promise<MessageRecord | undefined> {
      return (await q.query<MessageRecord>(`select ${COLUMNS} from outbox where id = $1`, [id]))[0];
    },
  };
}
