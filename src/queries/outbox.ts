import type { Queryable } from "../db/types.ts";
import type { CodeKind } from "../domain/code-kind.ts";
import type { DeliveryStatus, MessagePayload, MessageType, OutboxMessage } from "../outbox/message.ts";
import type { TextOverrides } from "../outbox/templates.ts";

/** The channel a committed enqueue notifies, so idle workers wake at once. */
export const OUTBOX_CHANNEL = "usher_outbox";

interface OutboxRow {
  id: string;
  org_id: string;
  user_id: string;
  message_type: MessageType;
  code_kind: CodeKind | null;
  recipient: string;
  status: DeliveryStatus;
  payload: MessagePayload;
  secret: string | null;
  attempts: number;
  created_at: Date;
  expires_at: Date;
  last_error: string | null;
  sent_at: Date | null;
  updated_at: Date;
}

const toMessage = (r: OutboxRow): OutboxMessage => ({
  id: r.id,
  orgId: r.org_id,
  userId: r.user_id,
  type: r.message_type,
  codeKind: r.code_kind,
  recipient: r.recipient,
  status: r.status,
  payload: r.payload,
  secret: r.secret,
  attempts: r.attempts,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** A message's delivery record, for operators and the API (never the secret). */
export interface DeliveryRecord {
  id: string;
  type: MessageType;
  recipient: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

/** A claimed message with its organization's own texts for its type, by language. */
export interface ClaimedMessage extends OutboxMessage {
  texts: Map<string, TextOverrides>;
}

/** A sent message to record: its id, the attempt number of our claim, when, and its `*.code.sent` event. */
export interface SentRecord {
  id: string;
  claim: number;
  at: Date;
  sentEvent?: string | undefined;
}

/**
 * The claim (see `claimDue`), with the messages it may take given by `due`. Shaped so that
 * PostgreSQL keeps one generic plan per statement instead of planning every claim anew (about
 * half a millisecond each, most of a small claim's cost; `pg_prepared_statements` showed only
 * custom plans):
 * - two statements, not one with an `or $4` switch, which a generic plan cannot use as an index
 *   condition;
 * - the candidates as an array (`= any (array(...))`): the generic plan then fetches them by
 *   primary key, where `in (...)` let it hash-join a scan of the whole outbox;
 * - the limit behind a sub-select, so custom and generic plans estimate it alike (a generic plan
 *   guesses 10 % of the table for a bare `limit $3` and so always looked dearer).
 */
const claimSql = (due: string) => `with claimed as (
   update outbox set status = 'sending', attempts = attempts + 1, locked_until = $2, updated_at = $1
    where id = any (array(
      select o.id from outbox o
       where o.status = 'queued' and ${due}
         and not exists (
           select 1 from outbox p
            where p.org_id = o.org_id and p.user_id = o.user_id and p.message_type = o.message_type
              and p.status in ('queued', 'sending') and (p.created_at, p.id) < (o.created_at, o.id))
       order by o.next_attempt_at
       limit (select $3::int)
       for update of o skip locked))
   returning *)
 select c.*, (
   select jsonb_object_agg(t.language, jsonb_strip_nulls(jsonb_build_object(
       'subject', nullif(t.subject, ''), 'greeting', nullif(t.greeting, ''),
       'body', nullif(t.body, ''), 'buttonText', nullif(t.button_text, ''))))
     from message_texts t where t.org_id = c.org_id and t.message_type = c.message_type) as texts
   from claimed c`;
/** Due messages: their retry time has come. */
const CLAIM_DUE = claimSql("o.next_attempt_at <= $1");
/** Any queued message, also one waiting for its retry time (a circuit's probe); `$1` is only the claim's time. */
const CLAIM_ANY = claimSql("$1::timestamptz is not null");

/** SQL over the outbox. */
export function outboxQueries(q: Queryable) {
  return {
    /**
     * Claims up to `limit` due queued messages, oldest retry time first. SKIP LOCKED lets
     * several workers claim side by side.
     *
     * A message is claimed only when no older message of the same user and type is queued or
     * being sent (by any process): a user's messages of one kind reach the provider in the
     * order they were queued, and a newer code is never mailed while an older one is in flight.
     * Two claims racing see each other's candidates as still queued, so neither can take the
     * newer message past the older one. The plan walks `outbox_due` in order and probes
     * `outbox_user` per candidate, so a claim costs the same with 10 or 100,000 waiting.
     * `ignoreSchedule` also takes messages waiting for their retry time (a circuit's probe).
     * Each comes with its organization's texts for its type, read in the same statement.
     */
    async claimDue(
      now: Date,
      leaseUntil: Date,
      limit: number,
      ignoreSchedule = false,
    ): Promise<ClaimedMessage[]> {
      const rows = await q.query<OutboxRow & { texts: Record<string, TextOverrides> | null }>(
        ignoreSchedule ? CLAIM_ANY : CLAIM_DUE,
        [now, leaseUntil, limit],
      );
      return rows.map((r) => ({ ...toMessage(r), texts: new Map(Object.entries(r.texts ?? {})) }));
    },

    /**
     * Queues again the messages whose claim lease ran out (their process died or hung before it
     * recorded the outcome); they keep their place, so they go out before newer ones. Returns
     * how many.
     */
    async reclaimExpired(now: Date): Promise<number> {
      const rows = await q.query(
        `update outbox set status = 'queued', locked_until = null, updated_at = $1,
           last_error = coalesce(last_error, 'the claim ran out before the outcome was recorded')
          where status = 'sending' and locked_until < $1 returning 1`,
        [now],
      );
      return rows.length;
    },

    /**
     * Extends the lease of this process's claims while they are being sent (the heartbeat), so
     * a short lease does not hand a slow send to another process.
     */
    async renew(ids: readonly string[], leaseUntil: Date): Promise<void> {
      if (ids.length === 0) return;
      await q.query(
        "update outbox set locked_until = $2 where id = any($1) and status = 'sending' and locked_until < $2",
        [ids, leaseUntil],
      );
    },

    /**
     * Marks a claimed message sent and wipes its secret; with `sentEvent`, also counts the send
     * on the user's code and appends the event to the user's stream — one statement, locking
     * the user before its code as commands do. `claim` is the attempt number of our claim: a
     * message another process took over (our lease ran out) is not ours to record. False if
     * the message was no longer ours.
     */
    async recordSent(
      id: string,
      claim: number,
      at: Date,
      provider: string,
      sentEvent?: string,
    ): Promise<boolean> {
      const rows = await q.query<{ sent: number }>(
        `with sent as (
           update outbox set status = 'sent', secret = null, sent_at = $2, updated_at = $2, locked_until = null,
             last_error = null, provider = $3 where id = $1 and status = 'sending' and attempts = $5
           returning org_id, user_id, code_kind),
         s as (
           update users u set sequence = u.sequence + 1, updated_at = $2
             from sent where $4::text is not null and u.org_id = sent.org_id and u.id = sent.user_id
           returning u.org_id, u.id, u.sequence, sent.code_kind),
         counted as (
           update user_codes c set send_count = c.send_count + 1, last_sent_at = $2
             from s where c.org_id = s.org_id and c.user_id = s.id and c.kind = s.code_kind
           returning 1),
         appended as (
           insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
           select s.org_id, 'user', s.id, s.sequence, $4::text, jsonb_build_object('outboxId', $1::text),
             'usher-notifier', $2 from s
           returning 1)
         select count(*)::int as sent from sent`,
        [id, at, provider, sentEvent ?? null, claim],
      );
      return (rows[0]?.sent ?? 0) > 0;
    },

    /**
     * Records many sent messages in one statement (the worker gathers what finished while the
     * previous record ran), as `recordSent` does each: the message's secret wiped, and for those
     * with a `sentEvent` the send counted on the user's code and the event appended, the users
     * locked in key order (two processes' batches never wait on each other in a cycle) and each
     * user's sequence moved on by its number of events. Fenced by the claim like `recordSent`.
     * Returns the ids that were still ours.
     */
    async recordSentMany(items: readonly SentRecord[], provider: string): Promise<Set<string>> {
      if (items.length === 0) return new Set();
      const rows = await q.query<{ id: string }>(
        `with i as (
           select * from unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[]) as t(id, claim, at, sent_event)),
         sent as (
           update outbox o set status = 'sent', secret = null, sent_at = i.at, updated_at = i.at, locked_until = null,
             last_error = null, provider = $5
             from i where o.id = i.id and o.status = 'sending' and o.attempts = i.claim
           returning o.id, o.org_id, o.user_id, o.code_kind, i.at, i.sent_event),
         ev as materialized (
           select sent.*, row_number() over (partition by org_id, user_id order by at, id) as n
             from sent where sent_event is not null),
         locked as materialized (
           select u.org_id, u.id, u.sequence from users u
            where (u.org_id, u.id) in (select org_id, user_id from ev)
            order by u.org_id, u.id for update),
         s as (
           update users u set sequence = l.sequence + c.n, updated_at = c.at
             from locked l,
               (select org_id, user_id, count(*)::int as n, max(at) as at from ev group by org_id, user_id) c
            where u.org_id = l.org_id and u.id = l.id and c.org_id = l.org_id and c.user_id = l.id
           returning u.org_id, u.id, l.sequence as before),
         counted as (
           update user_codes k set send_count = k.send_count + c.n, last_sent_at = c.at
             from s, (select org_id, user_id, code_kind, count(*)::int as n, max(at) as at from ev
                       group by org_id, user_id, code_kind) c
            where c.org_id = s.org_id and c.user_id = s.id
              and k.org_id = c.org_id and k.user_id = c.user_id and k.kind = c.code_kind
           returning 1),
         appended as (
           insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
           select ev.org_id, 'user', ev.user_id, s.before + ev.n, ev.sent_event,
             jsonb_build_object('outboxId', ev.id), 'usher-notifier', ev.at
             from ev join s on s.org_id = ev.org_id and s.id = ev.user_id
            -- In sequence order: each row takes the next feed position as it is inserted.
            order by ev.org_id, ev.user_id, ev.n
           returning 1)
         select id from sent`,
        [
          items.map((x) => x.id),
          items.map((x) => x.claim),
          items.map((x) => x.at),
          items.map((x) => x.sentEvent ?? null),
          provider,
        ],
      );
      return new Set(rows.map((r) => r.id));
    },

    /**
     * Queues a claimed message again for `nextAttemptAt` — or, when a newer message with a code
     * of the same kind exists for the user, supersedes it: its code is no longer valid, and
     * waiting for it would hold the newer one back.
     */
    async retryLater(id: string, claim: number, at: Date, nextAttemptAt: Date, error: string): Promise<void> {
      await q.query(
        `update outbox o set next_attempt_at = $3, last_error = $4, updated_at = $2, locked_until = null,
           status = case when exists (
               select 1 from outbox n where n.org_id = o.org_id and n.user_id = o.user_id
                  and n.code_kind = o.code_kind and (n.created_at, n.id) > (o.created_at, o.id))
             then 'superseded' else 'queued' end,
           secret = case when exists (
               select 1 from outbox n where n.org_id = o.org_id and n.user_id = o.user_id
                  and n.code_kind = o.code_kind and (n.created_at, n.id) > (o.created_at, o.id))
             then null else o.secret end
          where id = $1 and status = 'sending' and attempts = $5`,
        [id, at, nextAttemptAt, error, claim],
      );
    },

    /**
     * Makes the messages that wait for a retry after a failure due now: called when a circuit
     * closes, so what the outage deferred goes out at once instead of at its own retry time.
     * Returns how many.
     */
    async pullForward(now: Date): Promise<number> {
      const rows = await q.query(
        `update outbox set next_attempt_at = $1
          where status = 'queued' and next_attempt_at > $1 and last_error is not null returning 1`,
        [now],
      );
      if (rows.length > 0) await q.query("select pg_notify($1, '')", [OUTBOX_CHANNEL]);
      return rows.length;
    },

    /**
     * Fails queued messages whose delivery TTL ran out (also while a circuit keeps the worker
     * from claiming them), keeping their last error; each failure is an event of its user.
     * Returns how many.
     */
    async failExpired(now: Date): Promise<number> {
      const rows = await q.query<{ id: string; attempts: number }>(
        "select id, attempts from outbox where status = 'queued' and expires_at <= $1 order by created_at, id",
        [now],
      );
      let failed = 0;
      for (const r of rows) {
        const done = await failWithEvent(
          q,
          r.id,
          "queued",
          r.attempts,
          now,
          null,
          "coalesce($3::text, 'delivery TTL ran out' || coalesce(' after ' || attempts || ' attempts; last error: ' || last_error, ''))",
        );
        if (done) failed++;
      }
      return failed;
    },

    /**
     * Marks a claimed message failed. Its sealed code stays until the message expires, so an
     * operator may retry it (`usher mail retry`); `wipeExpired` removes it after that.
     */
    async markFailed(id: string, claim: number, at: Date, error: string): Promise<void> {
      await failWithEvent(q, id, "sending", claim, at, error);
    },

    /** Wipes the sealed codes of failed messages that can no longer be retried. */
    async wipeExpired(now: Date): Promise<void> {
      await q.query(
        "update outbox set secret = null where status = 'failed' and secret is not null and expires_at < $1",
        [now],
      );
    },

    /**
     * Puts a failed message back in the queue, if it is still the newest of its kind for its
     * user (an older code would no longer be valid) and has not expired.
     */
    async retry(id: string, now: Date): Promise<"queued" | "not_failed" | "outdated" | "expired"> {
      const rows = await q.query<{ status: string; expires_at: Date; newer: boolean }>(
        `select o.status, o.expires_at, exists (
           select 1 from outbox n where n.org_id = o.org_id and n.user_id = o.user_id and n.code_kind = o.code_kind
              and n.created_at > o.created_at) as newer
           from outbox o where o.id = $1`,
        [id],
      );
      const r = rows[0];
      if (!r) return "not_failed";
      if (r.status !== "failed") return "not_failed";
      if (r.newer) return "outdated";
      if (r.expires_at.getTime() <= now.getTime()) return "expired";
      await q.query(
        `update outbox set status = 'queued', attempts = 0, next_attempt_at = $2, updated_at = $2, last_error = null
          where id = $1 and status = 'failed'`,
        [id, now],
      );
      await q.query("select pg_notify($1, '')", [OUTBOX_CHANNEL]);
      return "queued";
    },

    /** Puts this process's claims back (graceful stop), without counting the attempt. */
    async release(ids: readonly string[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      await q.query(
        `update outbox set status = 'queued', attempts = greatest(attempts - 1, 0), locked_until = null, updated_at = $2
          where id = any($1) and status = 'sending'`,
        [ids, at],
      );
    },

    /**
     * Cancels a user's undelivered messages (queued, or claimed but not yet recorded as sent)
     * and wipes their codes, with the reason shown as their last error: the user was deleted,
     * or its address changed. Returns how many were cancelled.
     */
    async cancelForUser(
      orgId: string,
      userId: string,
      at: Date,
      reason: "user deleted" | "address changed" = "user deleted",
    ): Promise<number> {
      const rows = await q.query(
        `update outbox set status = 'cancelled', secret = null, locked_until = null, updated_at = $3,
           last_error = $4
          where org_id = $1 and user_id = $2 and status in ('queued', 'sending') returning id`,
        [orgId, userId, at, reason],
      );
      return rows.length;
    },

    async byUser(orgId: string, userId: string): Promise<DeliveryRecord[]> {
      const rows = await q.query<OutboxRow>(
        "select * from outbox where org_id = $1 and user_id = $2 order by created_at desc, id desc",
        [orgId, userId],
      );
      return rows.map((r) => ({
        id: r.id,
        type: r.message_type,
        recipient: r.recipient,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        sentAt: r.sent_at,
      }));
    },
  };
}

/**
 * Fails one message in `from` state (and, for a claimed one, of our claim) and appends
 * `user.human.message.failed` with the reason to its user's stream, in one statement that locks
 * the user after the message as `recordSent` does. `reasonSql` computes the reason from the row
 * when `error` is null.
 */
async function failWithEvent(
  q: Queryable,
  id: string,
  from: "queued" | "sending",
  claim: number,
  at: Date,
  error: string | null,
  reasonSql = "$3::text",
): Promise<boolean> {
  const rows = await q.query<{ failed: number }>(
    `with failed as (
       update outbox set status = 'failed', last_error = ${reasonSql}, updated_at = $2, locked_until = null
        where id = $1 and status = $4 and attempts = $5
       returning org_id, user_id, message_type, last_error),
     s as (
       update users u set sequence = u.sequence + 1, updated_at = $2
         from failed where u.org_id = failed.org_id and u.id = failed.user_id
       returning u.org_id, u.id, u.sequence, failed.message_type, failed.last_error),
     appended as (
       insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
       select s.org_id, 'user', s.id, s.sequence, 'user.human.message.failed',
         jsonb_build_object('outboxId', $1::text, 'messageType', s.message_type, 'reason', s.last_error),
         'usher-notifier', $2 from s
       returning 1)
     select count(*)::int as failed from failed`,
    [id, at, error, from, claim],
  );
  return (rows[0]?.failed ?? 0) > 0;
}
