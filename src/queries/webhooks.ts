import type { Queryable } from "../db/types.ts";

/** The channel the fan-out trigger notifies when an event queued deliveries. */
export const WEBHOOK_CHANNEL = "usher_webhooks";

export type WebhookKind = "standard" | "zitadel";
export type TargetType = "" | "rest_webhook" | "rest_call" | "rest_async";

/** A subscriber as stored; `secret` and `previous_secret` are sealed. */
export interface WebhookRow {
  id: string;
  org_id: string | null;
  kind: WebhookKind;
  name: string;
  url: string;
  description: string;
  event_types: string[];
  status: "active" | "paused";
  paused_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_until: Date | null;
  timeout_ms: number;
  target_type: TargetType;
  interrupt_on_error: boolean;
  created_at: Date;
  updated_at: Date;
}

export type NewWebhook = Omit<WebhookRow, "status" | "paused_reason" | "previous_secret" | "previous_until">;

export interface WebhookChange {
  name?: string | undefined;
  url?: string | undefined;
  description?: string | undefined;
  eventTypes?: readonly string[] | undefined;
  timeoutMs?: number | undefined;
  targetType?: TargetType | undefined;
  interruptOnError?: boolean | undefined;
}

/** SQL over webhook subscriptions and Actions executions. */
export function webhookQueries(q: Queryable) {
  return {
    async insert(w: NewWebhook): Promise<WebhookRow> {
      const rows = await q.query<WebhookRow>(
        `insert into webhooks (id, org_id, kind, name, url, description, event_types, status, secret, timeout_ms,
           target_type, interrupt_on_error, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $11, $12, $12) returning *`,
        [
          w.id,
          w.org_id,
          w.kind,
          w.name,
          w.url,
          w.description,
          w.event_types,
          w.secret,
          w.timeout_ms,
          w.target_type,
          w.interrupt_on_error,
          w.created_at,
        ],
      );
      return rows[0] as WebhookRow;
    },

    /** One subscriber of an organization (`null`: an instance-wide Actions target). */
    async byId(id: string, orgId: string | null, kind: WebhookKind): Promise<WebhookRow | undefined> {
      const rows = await q.query<WebhookRow>(
        "select * from webhooks where id = $1 and org_id is not distinct from $2 and kind = $3",
        [id, orgId, kind],
      );
      return rows[0];
    },

    /** A page of an organization's subscribers (oldest first) after a (created_at, id) cursor. */
    async list(
      orgId: string | null,
      kind: WebhookKind,
      limit: number,
      after?: { createdAt: string; id: string },
      ids?: readonly string[],
    ): Promise<WebhookRow[]> {
      return q.query<WebhookRow>(
        `select * from webhooks
          where org_id is not distinct from $1 and kind = $2
            and ($3::timestamptz is null or (created_at, id) > ($3, $4))
            and ($6::text[] is null or id = any($6))
          order by created_at, id limit $5`,
        [orgId, kind, after?.createdAt ?? null, after?.id ?? "", limit + 1, ids ?? null],
      );
    },

    async update(id: string, c: WebhookChange, at: Date): Promise<WebhookRow | undefined> {
      const rows = await q.query<WebhookRow>(
        `update webhooks set name = coalesce($2, name), url = coalesce($3, url),
           description = coalesce($4, description), event_types = coalesce($5, event_types),
           timeout_ms = coalesce($6, timeout_ms), target_type = coalesce($7, target_type),
           interrupt_on_error = coalesce($8, interrupt_on_error), updated_at = $9
          where id = $1 returning *`,
        [
          id,
          c.name ?? null,
          c.url ?? null,
          c.description ?? null,
          c.eventTypes ?? null,
          c.timeoutMs ?? null,
          c.targetType ?? null,
          c.interruptOnError ?? null,
          at,
        ],
      );
      return rows[0];
    },

    /**
     * Pauses (with a reason shown to the tenant) or resumes. A paused subscriber's queued
     * deliveries wait with `next_attempt_at = 'infinity'`; resuming makes them due now.
     */
    async setStatus(id: string, status: "active" | "paused", reason: string | null, at: Date): Promise<void> {
      await q.query(
        `with w as (
           update webhooks set status = $2, paused_reason = $3, updated_at = $4 where id = $1 returning id)
         update webhook_deliveries d
            set next_attempt_at = case when $2 = 'active' then $4::timestamptz else 'infinity' end
           from w where d.webhook_id = w.id and d.status = 'queued'`,
        [id, status, status === "paused" ? reason : null, at],
      );
      if (status === "active") await q.query("select pg_notify($1, '')", [WEBHOOK_CHANNEL]);
    },

    /** Replaces the secret; the old one keeps signing until `previousUntil`. */
    async rotate(id: string, sealed: string, previousSealed: string, previousUntil: Date, at: Date) {
      await q.query(
        `update webhooks set secret = $2, previous_secret = $3, previous_until = $4, updated_at = $5
          where id = $1`,
        [id, sealed, previousSealed, previousUntil, at],
      );
    },

    async remove(id: string): Promise<boolean> {
      const rows = await q.query("delete from webhooks where id = $1 returning 1", [id]);
      if (rows.length > 0)
        await q.query(
          "update action_executions set targets = array_remove(targets, $1) where $1 = any(targets)",
          [id],
        );
      return rows.length > 0;
    },

    /** Sets (or, with no targets, removes) the execution of one condition. */
    async setExecution(condition: string, targets: readonly string[], at: Date): Promise<void> {
      if (targets.length === 0) {
        await q.query("delete from action_executions where condition = $1", [condition]);
        return;
      }
      await q.query(
        `insert into action_executions (condition, targets, created_at, updated_at) values ($1, $2, $3, $3)
         on conflict (condition) do update set targets = excluded.targets, updated_at = excluded.updated_at`,
        [condition, targets, at],
      );
    },

    async executions(): Promise<
      { condition: string; targets: string[]; created_at: Date; updated_at: Date }[]
    > {
      return q.query("select * from action_executions where cardinality(targets) > 0 order by condition");
    },

    /** Which of these ids are Actions targets. */
    async existingTargets(ids: readonly string[]): Promise<string[]> {
      const rows = await q.query<{ id: string }>(
        "select id from webhooks where kind = 'zitadel' and id = any($1)",
        [ids],
      );
      return rows.map((r) => r.id);
    },
  };
}
