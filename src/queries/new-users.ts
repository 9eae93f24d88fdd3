import type { Queryable } from "../db/types.ts";
import type { StoredCode } from "../domain/code-kind.ts";
import type { User } from "../domain/user.ts";

/** One event of a new user's stream, with its sequence. */
export interface FirstEvent {
  orgId: string;
  userId: string;
  sequence: number;
  type: string;
  payload: Record<string, unknown>;
  actor: string;
  at: Date;
}

/** A new user's code of a kind, stored as its keyed hash. */
export interface FirstCode {
  orgId: string;
  userId: string;
  code: StoredCode;
}

/**
 * Multi-row writes of many new users at once (an invite job's batch): one statement per table,
 * whatever the number of users. The users are new (fresh ids), so their streams start here and
 * nothing else holds their rows.
 */
export function newUserQueries(q: Queryable) {
  return {
    /**
     * Whether the organization is active and which of these usernames (lower-cased) a user of
     * it already has, in one round trip: tenant usernames are unique within their tenant.
     */
    async creationFacts(orgId: string, usernames: readonly string[]) {
      const rows = await q.query<{ org: boolean; taken: string[] }>(
        `select exists (select 1 from organizations where id = $1 and state = 1) as org,
                array(select lower(username) from users
                       where org_id = $1 and lower(username) = any($2::text[])) as taken`,
        [orgId, usernames.map((u) => u.toLowerCase())],
      );
      const r = rows[0];
      return { orgActive: r?.org === true, taken: new Set(r?.taken ?? []) };
    },

    /** Inserts users in one statement; `global` is ZITADEL's instance-wide username scope. */
    async insertUsers(users: readonly User[], global: boolean): Promise<void> {
      if (users.length === 0) return;
      const col = <T>(f: (u: User) => T): T[] => users.map(f);
      await q.query(
        `insert into users (org_id, id, type, state, username, given_name, family_name, nick_name, display_name,
           preferred_language, gender, email, email_verified, phone, phone_verified, password_hash,
           password_change_required, password_changed_at, sequence, created_at, updated_at, username_global)
         select *, $21::bool from unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[],
           $7::text[], $8::text[], $9::text[], $10::text[], $11::smallint[], $12::text[], $13::bool[], $14::text[],
           $15::bool[], $16::text[], $17::bool[], $18::timestamptz[], $19::int[], $20::timestamptz[], $20::timestamptz[])`,
        [
          col((u) => u.orgId),
          col((u) => u.id),
          col((u) => u.type),
          col((u) => u.state),
          col((u) => u.username),
          col((u) => u.givenName),
          col((u) => u.familyName),
          col((u) => u.nickName),
          col((u) => u.displayName),
          col((u) => u.preferredLanguage),
          col((u) => u.gender),
          col((u) => u.email),
          col((u) => u.emailVerified),
          col((u) => u.phone),
          col((u) => u.phoneVerified),
          col((u) => u.passwordHash),
          col((u) => u.passwordChangeRequired),
          col((u) => u.passwordChangedAt),
          col((u) => u.sequence),
          col((u) => u.createdAt),
          global,
        ],
      );
    },

    /** Appends events in the order given (which is their order in the feed), in one statement. */
    async appendEvents(events: readonly FirstEvent[]): Promise<void> {
      if (events.length === 0) return;
      const col = <T>(f: (e: FirstEvent) => T): T[] => events.map(f);
      await q.query(
        `insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
         select org_id, 'user', user_id, sequence, type, payload::jsonb, actor, at
           from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
                with ordinality as e(org_id, user_id, sequence, type, payload, actor, at, ord)
          order by ord`,
        [
          col((e) => e.orgId),
          col((e) => e.userId),
          col((e) => e.sequence),
          col((e) => e.type),
          col((e) => JSON.stringify(e.payload)),
          col((e) => e.actor),
          col((e) => e.at),
        ],
      );
    },

    /** Stores the new users' codes (one per user and kind) in one statement. */
    async insertCodes(codes: readonly FirstCode[]): Promise<void> {
      if (codes.length === 0) return;
      const col = <T>(f: (c: FirstCode) => T): T[] => codes.map(f);
      await q.query(
        `insert into user_codes (org_id, user_id, kind, code_hash, created_at, expires_at, failed_attempts,
           code_returned, url_template, application_name, auth_request_id, email)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
           $7::int[], $8::bool[], $9::text[], $10::text[], $11::text[], $12::text[])`,
        [
          col((c) => c.orgId),
          col((c) => c.userId),
          col((c) => c.code.kind),
          col((c) => c.code.codeHash),
          col((c) => c.code.createdAt),
          col((c) => c.code.expiresAt),
          col((c) => c.code.failedAttempts),
          col((c) => c.code.codeReturned),
          col((c) => c.code.urlTemplate),
          col((c) => c.code.applicationName),
          col((c) => c.code.authRequestId),
          col((c) => c.code.email),
        ],
      );
    },
  };
}
