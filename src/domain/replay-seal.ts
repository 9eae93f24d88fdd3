import { createHmac } from "node:crypto";
import { open, seal } from "./secrets.ts";

/**
 * How an idempotent request is recognised at rest: an HMAC of its fingerprint (method, context
 * and a hash of its body). A plain hash of a body that holds a password could be guessed offline;
 * this one needs the master key.
 */
export function fingerprintMac(key: Buffer, fingerprint: string): string {
  return createHmac("sha256", key).update(fingerprint, "utf8").digest("base64url");
}

const context = (scope: string, idempotencyKey: string) => `idempotency/${scope}/${idempotencyKey}`;

/**
 * Seals a response kept for replay: it may hold a raw API key, a PAT or a code. Bound to the
 * caller and the Idempotency-Key, so a sealed response cannot be moved to another record.
 */
export function sealReply(key: Buffer, scope: string, idempotencyKey: string, encoded: string): string {
  return seal(key, encoded, context(scope, idempotencyKey));
}

/** Opens a sealed response; `undefined` when it cannot be (written readable before, or another key). */
export function openReply(
  key: Buffer,
  scope: string,
  idempotencyKey: string,
  stored: string,
): string | undefined {
  try {
    return open(key, stored, context(scope, idempotencyKey));
  } catch {
    return undefined;
  }
}
