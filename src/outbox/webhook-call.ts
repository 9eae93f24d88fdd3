import { open } from "../domain/secrets.ts";
import type { WebhookRow } from "../queries/webhooks.ts";
import { type EgressAnswer, type EgressOptions, postJson } from "./egress.ts";
import { standardHeaders, zitadelHeaders } from "./webhook-signing.ts";

/**
 * The secrets that sign a call now: the current one and, during a rotation, the previous one.
 * Sealed with the subscriber's id as context, so a secret cannot be moved to another row.
 */
export function signingSecrets(key: Buffer, w: WebhookRow, at: Date): string[] {
  const secrets = [open(key, w.secret, w.id)];
  if (w.previous_secret && w.previous_until && w.previous_until.getTime() > at.getTime())
    secrets.push(open(key, w.previous_secret, w.id));
  return secrets;
}

/** Signs a body as the subscriber's kind wants (Standard Webhooks or ZITADEL) and POSTs it. */
export function callSubscriber(
  w: WebhookRow,
  secrets: readonly string[],
  msgId: string,
  body: string,
  at: Date,
  egress: Omit<EgressOptions, "timeoutMs">,
): Promise<EgressAnswer> {
  const headers =
    w.kind === "standard" ? standardHeaders(msgId, at, body, secrets) : zitadelHeaders(at, body, secrets);
  return postJson(w.url, { ...headers, "user-agent": "Usher-Webhooks/1" }, body, {
    ...egress,
    timeoutMs: w.timeout_ms,
  });
}
