import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Keys } from "../../domain/secrets.ts";

/** How long a rendered form may be submitted. Long enough to fetch a code from another device. */
export const FORM_TTL_MS = 12 * 3600_000;

/** The cookie holding the browser's nonce (double submit: the form's token must carry it too). */
export const CSRF_COOKIE = "usher_form";

const derived = new WeakMap<Keys, Buffer>();

/** The form-token key: HKDF of the code key under its own label, so neither can stand in for the other. */
export function csrfKey(keys: Keys): Buffer {
  let key = derived.get(keys);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", keys.codeHmac, Buffer.alloc(0), "usher/pages-csrf/v1", 32));
    derived.set(keys, key);
  }
  return key;
}

/** A fresh browser nonce, 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString("base64url");
}

/** The nonce in a `Cookie` header, when it is well formed. */
export function nonceFromCookies(header: string | undefined): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === CSRF_COOKIE && value && /^[A-Za-z0-9_-]{22}$/.test(value)) return value;
  }
  return undefined;
}

/** The `Set-Cookie` value: readable only by Usher's pages, never sent on cross-site posts. */
export function nonceCookie(nonce: string, secure: boolean): string {
  const maxAge = Math.floor(FORM_TTL_MS / 1000);
  return `${CSRF_COOKIE}=${nonce}; Path=/ui/login/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

const sign = (key: Buffer, form: string, userId: string, expires: number, nonce: string) =>
  createHmac("sha256", key).update(`${form}\n${userId}\n${expires}\n${nonce}`).digest();

/**
 * A form token: `<expiry ms>.<nonce>.<HMAC>` over the form's name, the user id, the expiry and
 * the browser's nonce. It holds nothing secret; forging one needs the key.
 */
export function issueFormToken(key: Buffer, form: string, userId: string, nonce: string, now: Date): string {
  const expires = now.getTime() + FORM_TTL_MS;
  return `${expires}.${nonce}.${sign(key, form, userId, expires, nonce).toString("base64url")}`;
}

/**
 * Whether a posted token was issued by Usher for this form, this user and the nonce in the
 * browser's cookie, and has not expired.
 */
export function checkFormToken(
  key: Buffer,
  token: string,
  form: string,
  userId: string,
  cookieNonce: string | undefined,
  now: Date,
): boolean {
  const [expiresText = "", nonce = "", mac = ""] = token.split(".");
  const expires = Number(expiresText);
  if (!cookieNonce || nonce !== cookieNonce || !/^\d{1,15}$/.test(expiresText)) return false;
  if (expires <= now.getTime() || expires > now.getTime() + FORM_TTL_MS) return false;
  const expected = sign(key, form, userId, expires, nonce);
  const given = Buffer.from(mac, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
