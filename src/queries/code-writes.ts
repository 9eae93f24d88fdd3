import type { StoredCode } from "../domain/code-kind.ts";
import type { NewMessage } from "../outbox/message.ts";
import { OUTBOX_CHANNEL } from "./outbox.ts";
import type { SqlParams } from "./sql-params.ts";

/**
 * A new code of a kind for a user (its hash replaces the previous code) and, unless the code
 * was returned to the caller, the message that carries it. Commands do not write it on its
 * own: it goes into the statement that appends the user's events (`appendUserEvents`), so a
 * code, its message and its `*.code.added` event are one round trip to the database.
 */
export interface CodeWrite {
  orgId: string;
  userId: string;
  code: StoredCode;
  message?: { id: string; body: NewMessage; at: Date } | undefined;
}

/**
 * Common table expressions that store a code and queue its message, each run only when the
 * CTE named `guard` yields a row. Older queued messages carrying a code of the same kind for
 * the same user are superseded (their code is no longer valid). Returns the CTEs and, when a
 * message is queued, an expression that notifies idle workers (on commit) for each queued row.
 */
export function codeWriteCtes(
  w: CodeWrite,
  index: number,
  p: SqlParams,
  guard: string,
): { ctes: string[]; notify?: string } {
  const c = w.code;
  const org = p.add(w.orgId, "text");
  const user = p.add(w.userId, "text");
  const kind = p.add(c.kind, "text");
  const ctes = [
    `code_${index} as (
       insert into user_codes (org_id, user_id, kind, code_hash, created_at, expires_at, failed_attempts,
         code_returned, url_template, application_name, auth_request_id, email)
       select ${org}, ${user}, ${kind}, ${p.add(c.codeHash, "text")}, ${p.add(c.createdAt, "timestamptz")},
         ${p.add(c.expiresAt, "timestamptz")}, ${p.add(c.failedAttempts, "int")}, ${p.add(c.codeReturned, "bool")},
         ${p.add(c.urlTemplate, "text")}, ${p.add(c.applicationName, "text")}, ${p.add(c.authRequestId, "text")},
         ${p.add(c.email, "text")}
         from ${guard}
       on conflict (org_id, user_id, kind) do update set code_hash = excluded.code_hash,
         created_at = excluded.created_at, expires_at = excluded.expires_at,
         failed_attempts = excluded.failed_attempts, code_returned = excluded.code_returned,
         url_template = excluded.url_template, application_name = excluded.application_name,
         auth_request_id = excluded.auth_request_id, email = excluded.email
       returning 1)`,
  ];
  if (!w.message) return { ctes };
  const { id, body: m, at } = w.message;
  const time = p.add(at, "timestamptz");
  ctes.push(
    `superseded_${index} as (
       update outbox set status = 'superseded', secret = null, updated_at = ${time}
        where exists (select 1 from ${guard}) and org_id = ${org} and user_id = ${user}
          and code_kind = ${kind} and status = 'queued'
        returning 1)`,
    `queued_${index} as (
       insert into outbox (id, org_id, user_id, message_type, code_kind, recipient, status, payload, secret,
         next_attempt_at, created_at, updated_at, expires_at)
       select ${p.add(id, "text")}, ${org}, ${user}, ${p.add(m.type, "text")}, ${kind},
         ${p.add(m.recipient, "text")}, 'queued', ${p.add(JSON.stringify(m.payload), "jsonb")},
         ${p.add(m.secret, "text")}, ${time}, ${time}, ${time}, ${p.add(m.expiresAt, "timestamptz")}
         from ${guard}
       returning 1)`,
  );
  return {
    ctes,
    notify: `(select count(pg_notify(${p.add(OUTBOX_CHANNEL, "text")}, '')) from queued_${index})`,
  };
}
