import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** Keys derived from the master key, each for one purpose. */
export interface Keys {
  /** HMAC key for verification codes. */
  readonly codeHmac: Buffer;
  /** AES-256-GCM key for codes waiting in the outbox. */
  readonly outbox: Buffer;
  /** AES-256-GCM key for responses kept for Idempotency-Key replay (they may hold keys and codes). */
  readonly replay: Buffer;
  /** HMAC key for the fingerprints of idempotent requests (their bodies may hold passwords). */
  readonly replayFingerprint: Buffer;
  /** AES-256-GCM key for the rendered mails of the dev mailbox (they hold codes and links). */
  readonly mailbox: Buffer;
  /** AES-256-GCM key for webhook signing secrets and ZITADEL Actions signing keys. */
  readonly webhook: Buffer;
}

/** Parses a 32-byte master key given as base64 (or base64url) or 64 hex characters. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw new Error("the master key must be 32 bytes, as base64 or 64 hex characters");
  return key;
}

export function newMasterKey(): string {
  return randomBytes(32).toString("base64");
}

export function deriveKeys(master: Buffer): Keys {
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
  return {
    codeHmac: derive("usher/code-hmac/v1"),
    outbox: derive("usher/outbox-aes-gcm/v1"),
    replay: derive("usher/replay-aes-gcm/v1"),
    replayFingerprint: derive("usher/replay-fingerprint-hmac/v1"),
    mailbox: derive("usher/mailbox-aes-gcm/v1"),
    webhook: derive("usher/webhook-secret-aes-gcm/v1"),
  };
}

/**
 * Encrypts a secret: base64 of nonce ‖ ciphertext ‖ tag. `context` (authenticated, not stored)
 * binds the ciphertext to where it belongs, so it cannot be moved to another row; `open` needs
 * the same context. An empty context is the same as none.
 */
export function seal(key: Buffer, plaintext: string, context = ""): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64");
}

/** Decrypts what `seal` produced; throws when the key or context is wrong or the data was altered. */
export function open(key: Buffer, sealed: string, context = ""): string {
  const raw = Buffer.from(sealed, "base64");
  if (raw.length < 28) throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
    "utf8",
  );
}
