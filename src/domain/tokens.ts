import { createHash, randomBytes } from "node:crypto";

/** A new opaque personal access token: 256 random bits. */
export function newToken(): string {
  return `usher_pat_${randomBytes(32).toString("base64url")}`;
}

/** Tokens carry full entropy, so a plain SHA-256 is a safe way to store and look them up. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
