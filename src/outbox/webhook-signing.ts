import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new ZITADEL Actions signing key: 32 random letters and digits (no modulo bias). */
export function newSigningKey(): string {
  let out = "";
  while (out.length < 32) {
    for (const b of randomBytes(64)) {
      if (b < 248 && out.length < 32) out += ALPHANUMERIC[b % 62];
    }
  }
  return out;
}

/**
 * The Standard Webhooks headers for one call: `webhook-id`, `webhook-timestamp` (Unix seconds)
 * and `webhook-signature`, one `v1,<base64>` per valid secret (two during a rotation), space
 * separated.
 */
export function standardHeaders(
  msgId: string,
  at: Date,
  body: string,
  secrets: readonly string[],
): Record<string, string> {
  const signatures = secrets.map((s) => new Webhook(s).sign(msgId, at, body));
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}

/**
 * ZITADEL's `ZITADEL-Signature` header: `t=<unix seconds>` and one `v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` per valid signing key, comma separated (ZITADEL's `pkg/actions` format).
 */
export function zitadelHeaders(at: Date, body: string, keys: readonly string[]): Record<string, string> {
  const t = Math.floor(at.getTime() / 1000);
  const parts = [`t=${t}`];
  for (const k of keys) parts.push(`v1=${createHmac("sha256", k).update(`${t}.${body}`).digest("hex")}`);
  return { "ZITADEL-Signature": parts.join(",") };
}
