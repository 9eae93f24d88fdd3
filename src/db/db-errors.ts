import { Code } from "@connectrpc/connect";
import { UsherError } from "../errors/usher-error.ts";
import type { Db } from "./types.ts";

/** Seconds a client is asked to wait (`Retry-After`) when the database cannot be reached. */
export const OUTAGE_RETRY_AFTER_SECONDS = 2;

/** Node socket errors of a database that is down or unreachable. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);

/**
 * What a database error means for the client, or undefined when it means a bug (and stays a
 * 500). PostgreSQL's SQLSTATE classes: 08 connection, 57P01–03 shutdown / cannot connect now,
 * 53 insufficient resources → UNAVAILABLE; 57014 (statement_timeout) → DEADLINE_EXCEEDED;
 * 22 data exceptions — a NUL byte (22021), an untranslatable character (22P05), a number
 * out of range (22003) — come from what the client sent → INVALID_ARGUMENT.
 */
export function databaseErrorKind(e: unknown): UsherError | undefined {
  if (e instanceof UsherError) return undefined;
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as { message?: unknown } | null)?.message;
  if (typeof code === "string") {
    if (SOCKET_CODES.has(code) || /^(08...|57P0[123]|53...)$/.test(code)) return unavailable(e);
    if (code === "57014") return deadline(e);
    if (code === "22021" || code === "22P05" || code === "22003" || code === "54000") return invalid(e);
  }
  // pg's own words for a connection that died mid-statement or could not be had in time.
  if (
    typeof message === "string" &&
    /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/.test(
      message,
    )
  )
    return unavailable(e);
  return undefined;
}

const unavailable = (cause: unknown) =>
  new UsherError({
    code: Code.Unavailable,
    id: "USHER-DB503",
    key: "Errors.Unavailable",
    cause,
    details: { retry_after_seconds: OUTAGE_RETRY_AFTER_SECONDS },
  });
const deadline = (cause: unknown) =>
  new UsherError({ code: Code.DeadlineExceeded, id: "USHER-DB504", key: "Errors.Deadline", cause });
const invalid = (cause: unknown) =>
  new UsherError({ code: Code.InvalidArgument, id: "USHER-DB400", key: "Errors.InvalidInput", cause });

function rethrow(e: unknown): never {
  throw databaseErrorKind(e) ?? e;
}

/**
 * The database with its errors in client terms (see `databaseErrorKind`), converted once for
 * every surface. Statements inside a transaction reach the command unconverted (it may handle
 * e.g. a unique violation); what escapes the transaction is converted.
 */
export function withErrorKinds(db: Db): Db {
  return {
    query: <R>(sql: string, params?: readonly unknown[]) => db.query<R>(sql, params).catch(rethrow),
    exec: (sql) => db.exec(sql).catch(rethrow),
    transaction: (fn) => db.transaction(fn).catch(rethrow),
    listen: (channel, onNotify, onLive) => db.listen(channel, onNotify, onLive),
    close: () => db.close(),
    connectionString: db.connectionString,
  };
}
