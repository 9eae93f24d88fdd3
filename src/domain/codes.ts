import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

/** ZITADEL's default code alphabet: upper-case letters and digits. */
export const CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * A random code from the alphabet. `randomInt` draws by rejection sampling, so every
 * character is equally likely (unlike ZITADEL's `byte % (len-1)`, which never yields `9`).
 */
export function generateCode(length: number, alphabet: string = CODE_ALPHABET): string {
  let code = "";
  for (let i = 0; i < length; i++) code += alphabet[randomInt(alphabet.length)];
  return code;
}

/** The keyed hash stored in place of a code: HMAC-SHA-256, hex. */
export function hashCode(key: Buffer, code: string): string {
  return createHmac("sha256", key).update(code, "utf8").digest("hex");
}

/** Compares a presented code with a stored hash in constant time. */
export function codeMatches(key: Buffer, code: string, storedHash: string): boolean {
  const presented = Buffer.from(hashCode(key, code), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
