import type { Queryable } from "../db/types.ts";
import type { StoredEvent } from "../domain/event-catalog.ts";
import { WEBHOOK_CHANNEL, type WebhookRow } from "./webhooks.ts";

export type WebhookDeliveryStatus = "queued" | "sending" | "delivered" | "failed";

/** A claimed delivery with its event and its subscriber, all the worker needs to send it. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  expiresAt: Date;
  event: StoredEvent & { aggregate_type: string };
  webhook: WebhookRow;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  aggregate_id: string;
  event_sequence: number;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** `Infinity` (a number) while its subscriber is paused. */
  next_attempt_at: Date | number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
  expires_at: Date;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

/** One attempt's outcome, recorded with the delivery's new state in one statement. */
export interface AttemptOutcome {
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** SQL over webhook deliveries and their attempts. */
export function webhookDeliveryQueries(q: Queryable) {
  return {
    /**
     * Claims up to `limit` due deliveries, oldest retry time first (a paused subscriber's wait
     * at 'infinity', so the walk of the due index needs no join). As
     * with mail, a delivery is claimed only when no older delivery of the same subscriber and
     * user is queued or being sent (by any process): a subscriber sees each user's events in
     * order, and a later event waits while an earlier one is retried. Returns each with its
     * event and subscriber, in one round trip.
     */
    async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
      const rows = await q.query<
        DeliveryRow & { e: StoredEvent & { aggregate_type: string; created_at: string }; w: WebhookRow }
      >(
        `with candidates as (
           select d.id from webhook_deliveries d
            where d.status = 'queued' and d.next_attempt_at <= $1
              and not exists (
                select 1 from webhook_deliveries p
                 where p.webhook_id = d.webhook_id and p.aggregate_id = d.aggregate_id
                   and p.status in ('queued', 'sending') and p.seq < d.seq)
            order by d.next_attempt_at, d.seq
            limit $3
            for update of d skip locked),
         claimed as (
           update webhook_deliveries c set status = 'sending', attempts = c.attempts + 1, locked_until = $2,
             updated_at = $1
            where c.id = any (array(select id from candidates))
           returning c.*)
         select c.*, to_jsonb(e) as e, to_jsonb(w) as w
           from claimed c
           join events e on e.org_id = c.org_id and e.aggregate_id = c.aggregate_id and e.sequence = c.event_sequence
           join webhooks w on w.id = c.webhook_id`,
        [now, leaseUntil, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        attempts: r.attempts,
        expiresAt: r.expires_at,
        event: { ...r.e, created_at: new Date(r.e.created_at) },
        webhook: {
          ...r.w,
          previous_until: r.w.previous_until ? new Date(r.w.previous_until) : null,
          created_at: new Date(r.w.created_at),
          updated_at: new Date(r.w.updated_at),
        },
      }));
    },

    /**
     * Records 2xx answers, many in one statement (the worker batches them). Returns the ids that
     * were still ours; another process may have taken over a claim whose lease ran out.
     */
    async recordDelivered(
      items: readonly ({ id: string; claim: number } & AttemptOutcome)[],
    ): Promise<Set<string>> {
      if (items.length === 0) return new Set();
      const rows = await q.query<{ id: string }>(
        `with i as (
           select * from unnest($1::text[], $2::int[], $3::timestamptz[], $4::int[], $5::int[])
             as t(id, claim, at, status_code, duration_ms)),
         d as (
           update webhook_deliveries w set status = 'delivered', delivered_at = i.at, updated_at = i.at,
             locked_until = null, last_status = i.status_code, last_error = null
             from i where w.id = i.id and w.status = 'sending' and w.attempts = i.claim
           returning w.id),
         a as (
           insert into webhook_attempts (delivery_id, attempt, at, status_code, duration_ms, error)
           select id, claim, at, status_code, duration_ms, null from i on conflict do nothing
           returning 1)
         select id from d`,
        [
          items.map((x) => x.id),
          items.map((x) => x.claim),
          items.map((x) => x.at),
          items.map((x) => x.statusCode),
          items.map((x) => x.durationMs),
        ],
      );
      return new Set(rows.map((r) => r.id));
    },

    /**
     * Records a failed attempt: queued again for `retryAt`, or failed for good (`retryAt`
     * null), in which case the subscriber is paused with `pauseReason` — never silently.
     */
    async recordFailed(
      id: string,
      claim: number,
      o: AttemptOutcome,
      retryAt: Date | null,
      pauseReason: string | null,
    ): Promise<void> {
      await q.query(
        `with d as (
           update webhook_deliveries set status = case when $6::timestamptz is null then 'failed' else 'queued' end,
             next_attempt_at = case
               when exists (select 1 from webhooks p where p.id = webhook_id and p.status = 'paused') then 'infinity'
               else coalesce($6, next_attempt_at) end,
             updated_at = $3, locked_until = null,
             last_status = $4, last_error = $7
            where id = $1 and status = 'sending' and attempts = $2 returning webhook_id),
         a as (
           insert into webhook_attempts (delivery_id, attempt, at, status_code, duration_ms, error)
           values ($1, $2, $3, $4, $5, $7) on conflict do nothing returning 1),
         p as (
           update webhooks w set status = 'paused', paused_reason = $8, updated_at = $3
             from d where $8::text is not null and w.id = d.webhook_id and w.status = 'active'
           returning w.id),
         parked as (
           update webhook_deliveries q set next_attempt_at = 'infinity'
             from p where q.webhook_id = p.id and q.status = 'queued' and q.id <> $1
           returning 1)
         select (select count(*) from a) + (select count(*) from parked)`,
        [id, claim, o.at, o.statusCode, o.durationMs, retryAt, o.error, pauseReason],
      );
    },

    /** Queues again deliveries whose claim lease ran out (their process died); returns how many. */
    async reclaimExpired(now: Date): Promise<number> {
      const rows = await q.query(
        `update webhook_deliveries set status = 'queued', locked_until = null, updated_at = $1,
           last_error = coalesce(last_error, 'the claim ran out before the outcome was recorded')
          where status = 'sending' and locked_until < $1 returning 1`,
        [now],
      );
      return rows.length;
    },

    async renew(ids: readonly string[], leaseUntil: Date): Promise<void> {
      if (ids.length === 0) return;
      await q.query(
        "update webhook_deliveries set locked_until = $2 where id = any($1) and status = 'sending' and locked_until < $2",
        [ids, leaseUntil],
      );
    },

    /** Puts this process's claims back (graceful stop), without counting the attempt. */
    async release(ids: readonly string[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      await q.query(
        `update webhook_deliveries set status = 'queued', attempts = greatest(attempts - 1, 0), locked_until = null,
           updated_at = $2 where id = any($1) and status = 'sending'`,
        [ids, at],
      );
    },

    /**
     * Fails queued deliveries whose 24 h ran out and pauses their active subscribers with the
     * reason. Returns how many deliveries failed.
     */
    async failExpired(now: Date): Promise<number> {
      const rows = await q.query<{ webhook_id: string; last_error: string | null }>(
        `update webhook_deliveries set status = 'failed', updated_at = $1,
           last_error = 'delivery window of 24 h ran out' || coalesce('; last error: ' || last_error, '')
          where status = 'queued' and expires_at <= $1 returning webhook_id, last_error`,
        [now],
      );
      for (const r of rows)
        await q.query(
          `with w as (
             update webhooks set status = 'paused', paused_reason = $2, updated_at = $3
              where id = $1 and status = 'active' returning id)
           update webhook_deliveries d set next_attempt_at = 'infinity'
             from w where d.webhook_id = w.id and d.status = 'queued'`,
          [r.webhook_id, `paused after failing for 24 h: ${r.last_error ?? ""}`.slice(0, 500), now],
        );
      return rows.length;
    },

    /** Deletes finished deliveries (and their attempts) last changed before `before`; returns how many. */
    async pruneFinished(before: Date): Promise<number> {
      const rows = await q.query(
        `delete from webhook_deliveries where status in ('delivered', 'failed') and updated_at < $1 returning 1`,
        [before],
      );
      return rows.length;
    },

    /** A page of a subscriber's deliveries, newest first. */
    async list(
      webhookId: string,
      limit: number,
      after?: { createdAt: string; id: string },
    ): Promise<DeliveryRow[]> {
      return q.query<DeliveryRow>(
        `select * from webhook_deliveries
          where webhook_id = $1 and ($2::timestamptz is null or (created_at, id) < ($2, $3))
          order by created_at desc, id desc limit $4`,
        [webhookId, after?.createdAt ?? null, after?.id ?? "", limit + 1],
      );
    },

    async attemptsOf(ids: readonly string[]): Promise<AttemptRow[]> {
      if (ids.length === 0) return [];
      return q.query<AttemptRow>(
        "select * from webhook_attempts where delivery_id = any($1) order by delivery_id, attempt",
        [ids],
      );
    },

    /**
     * Queues a finished delivery again (manual redelivery) with a fresh 24 h window; it keeps its
     * place, so later queued events of its user wait for it. False when it is not finished.
     */
    async redeliver(
      webhookId: string,
      id: string,
      now: Date,
    ): Promise<DeliveryRow | "not_found" | "pending"> {
      const found = await q.query<DeliveryRow>(
        "select * from webhook_deliveries where id = $1 and webhook_id = $2",
        [id, webhookId],
      );
      const d = found[0];
      if (!d) return "not_found";
      if (d.status === "queued" || d.status === "sending") return "pending";
      const rows = await q.query<DeliveryRow>(
        `update webhook_deliveries d set status = 'queued', updated_at = $2,
           next_attempt_at = case when w.status = 'active' then $2::timestamptz else 'infinity' end,
           expires_at = $2::timestamptz + interval '24 hours'
          from webhooks w
          where d.id = $1 and w.id = d.webhook_id and d.status in ('delivered', 'failed') returning d.*`,
        [id, now],
      );
      await q.query("select pg_notify($1, '')", [WEBHOOK_CHANNEL]);
      return rows[0] ?? "pending";
    },
  };
}
