import { Code } from "@connectrpc/connect";
import type { Db } from "../db/types.ts";
import { UsherError, validationError } from "../errors/usher-error.ts";
import { idempotencyQueries } from "../queries/idempotency.ts";

const TTL_MS = 24 * 3_600_000;
/** A pending claim older than this belongs to a process that died mid-request. */
const STALE_PENDING_MS = 60_000;
const WAIT_MS = 10_000;

export interface IdempotentCall<T> {
  /** Who may replay: the caller's user id (another caller's key never matches). */
  scope: string;
  key: string;
  /** What the request was: method, context and a hash of its body. */
  fingerprint: string;
  run: () => Promise<T>;
  encode: (result: T) => string;
  decode: (stored: string) => T;
}

/**
 * `Idempotency-Key` semantics shared by every surface: the first request with a key runs and
 * its response is stored for 24 h; the same key with the same request returns the stored
 * response without running anything; with a different request it is refused (HTTP 422). A
 * request that fails is forgotten, so it may be retried. The claim is a row in the database,
 * so this holds across processes.
 */
export async function idempotent<T>(db: Db, now: () => Date, call: IdempotentCall<T>): Promise<T> {
  if (!/^[\x21-\x7e]{1,255}$/.test(call.key)) {
    throw validationError("Idempotency-Key must be 1 to 255 visible ASCII characters");
  }
  const q = idempotencyQueries(db);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const at = now();
    const claimed = await q.claim(
      call.scope,
      call.key,
      call.fingerprint,
      at,
      new Date(at.getTime() - TTL_MS),
      new Date(at.getTime() - STALE_PENDING_MS),
    );
    if (claimed) return runClaimed(db, now, call);
    const existing = await q.get(call.scope, call.key);
    if (!existing) continue; // released between our claim and read: claim again
    if (existing.fingerprint !== call.fingerprint) {
      throw new UsherError({
        code: Code.InvalidArgument,
        key: "Idempotency-Key was already used with a different request",
        httpStatus: 422,
      });
    }
    if (existing.status === "done" && existing.response !== null) return call.decode(existing.response);
    if (Date.now() > deadline) {
      throw new UsherError({
        code: Code.Aborted,
        key: "a request with this Idempotency-Key is still in progress",
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runClaimed<T>(db: Db, now: () => Date, call: IdempotentCall<T>): Promise<T> {
  const q = idempotencyQueries(db);
  let result: T;
  try {
    result = await call.run();
  } catch (e) {
    await q.release(call.scope, call.key);
    throw e;
  }
  await q.complete(call.scope, call.key, call.encode(result), now());
  return result;
}
