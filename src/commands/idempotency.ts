import { Code } from "@connectrpc/connect";
import type { Db } from "../db/types.ts";
import { fingerprintMac, openReply, sealReply } from "../domain/replay-seal.ts";
import type { Keys } from "../domain/secrets.ts";
import { UsherError, validationError } from "../errors/usher-error.ts";
import { idempotencyQueries } from "../queries/idempotency.ts";

const TTL_MS = 24 * 3_600_000;
/** A pending claim older than this belongs to a process that died mid-request. */
const STALE_PENDING_MS = 60_000;
const WAIT_MS = 10_000;
/** How often a process removes expired records (their sealed responses included). */
const PURGE_EVERY_MS = 60_000;

/** What `idempotent` needs from the composition root. */
export interface IdempotencyDeps {
  readonly db: Db;
  readonly now: () => Date;
  readonly keys: Pick<Keys, "replay" | "replayFingerprint">;
}

export interface IdempotentCall<T> {
  /** Who may replay: the caller's user id (another caller's key never matches). */
  scope: string;
  key: string;
  /** What the request was: method, context and a hash of its body. Stored only as an HMAC. */
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
 *
 * At rest the response is sealed with the master key's replay key (it may hold a raw API key,
 * a PAT or a code) and the fingerprint is an HMAC. A record whose response cannot be opened —
 * written before responses were sealed, or under another master key — is refused with
 * `IDEM-Rp9Lx`, never run a second time.
 */
export async function idempotent<T>(deps: IdempotencyDeps, call: IdempotentCall<T>): Promise<T> {
  if (!/^[\x21-\x7e]{1,255}$/.test(call.key)) {
    throw validationError("Idempotency-Key must be 1 to 255 visible ASCII characters");
  }
  const { db, now, keys } = deps;
  const q = idempotencyQueries(db);
  const fingerprint = fingerprintMac(keys.replayFingerprint, call.fingerprint);
  await purgeExpired(db, now());
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const at = now();
    const claimed = await q.claim(
      call.scope,
      call.key,
      fingerprint,
      at,
      new Date(at.getTime() - TTL_MS),
      new Date(at.getTime() - STALE_PENDING_MS),
    );
    if (claimed) return runClaimed(deps, call);
    const existing = await q.get(call.scope, call.key);
    if (!existing) continue; // released between our claim and read: claim again
    // Wiped by the migration that sealed replies (0009): its response is gone for good.
    if (existing.fingerprint === "" || (existing.status === "done" && existing.response === null))
      throw replayUnavailable();
    if (existing.fingerprint !== fingerprint) {
      throw new UsherError({
        code: Code.InvalidArgument,
        key: "Idempotency-Key was already used with a different request",
        httpStatus: 422,
      });
    }
    if (existing.status === "done" && existing.response !== null) {
      const encoded = openReply(keys.replay, call.scope, call.key, existing.response);
      if (encoded === undefined) throw replayUnavailable();
      return call.decode(encoded);
    }
    if (Date.now() > deadline) {
      throw new UsherError({
        code: Code.Aborted,
        key: "a request with this Idempotency-Key is still in progress",
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runClaimed<T>(deps: IdempotencyDeps, call: IdempotentCall<T>): Promise<T> {
  const q = idempotencyQueries(deps.db);
  let result: T;
  try {
    result = await call.run();
  } catch (e) {
    await q.release(call.scope, call.key);
    throw e;
  }
  const sealed = sealReply(deps.keys.replay, call.scope, call.key, call.encode(result));
  await q.complete(call.scope, call.key, sealed, deps.now());
  return result;
}

/** The request ran before, but its stored response cannot be replayed: refuse, never run twice. */
function replayUnavailable(): UsherError {
  return new UsherError({
    code: Code.FailedPrecondition,
    id: "IDEM-Rp9Lx",
    key: "the response to this Idempotency-Key can no longer be replayed; check the result and use a new key",
  });
}

const lastPurge = new WeakMap<Db, number>();

/** Deletes expired records at most once a minute per process and database. */
async function purgeExpired(db: Db, at: Date): Promise<void> {
  const last = lastPurge.get(db) ?? 0;
  if (at.getTime() - last < PURGE_EVERY_MS) return;
  lastPurge.set(db, at.getTime());
  await idempotencyQueries(db).purge(new Date(at.getTime() - TTL_MS));
}
