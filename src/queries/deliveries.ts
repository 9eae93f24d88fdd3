import type { Queryable } from "../db/types.ts";

/** A tenant's message as its deliveries list shows it (never the sealed code). */
export interface DeliveryRow {
  id: string;
  user_id: string;
  message_type: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** SQL over one tenant's outbox and a user's events, for the tenant API's activity endpoints. */
export function deliveryQueries(q: Queryable) {
  return {
    /** The tenant's messages by status (over `outbox_user`, which leads with the organization). */
    async counts(orgId: string): Promise<Record<string, number>> {
      const rows = await q.query<{ status: string; n: number }>(
        "select status, count(*)::int as n from outbox where org_id = $1 group by status",
        [orgId],
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },

    /** A page of the tenant's messages, newest first, optionally of one status (keyset). */
    async list(
      orgId: string,
      f: {
        limit: number;
        status?: string | undefined;
        after?: { createdAt: string; id: string } | undefined;
      },
    ): Promise<DeliveryRow[]> {
      const params: unknown[] = [orgId];
      const where = ["org_id = $1"];
      if (f.status) {
        params.push(f.status);
        where.push(`status = $${params.length}`);
      }
      if (f.after) {
        params.push(f.after.createdAt, f.after.id);
        where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      params.push(f.limit + 1);
      return q.query<DeliveryRow>(
        `select id, user_id, message_type, recipient, status, attempts, last_error, created_at, updated_at
           from outbox where ${where.join(" and ")} order by created_at desc, id desc limit $${params.length}`,
        params,
      );
    },

    /** One message of the tenant (for a retry's authorization). */
    async get(orgId: string, id: string): Promise<DeliveryRow | undefined> {
      const rows = await q.query<DeliveryRow>(
        `select id, user_id, message_type, recipient, status, attempts, last_error, created_at, updated_at
           from outbox where org_id = $1 and id = $2`,
        [orgId, id],
      );
      return rows[0];
    },

    /** A user's events, newest first, before a sequence (keyset). */
    async events(
      orgId: string,
      userId: string,
      f: { limit: number; before?: number | undefined },
    ): Promise<Array<{ sequence: number; type: string; created_at: Date }>> {
      return q.query(
        `select sequence, type, created_at from events
          where org_id = $1 and aggregate_type = 'user' and aggregate_id = $2 and ($3::int is null or sequence < $3)
          order by sequence desc limit $4`,
        [orgId, userId, f.before ?? null, f.limit + 1],
      );
    },
  };
}
