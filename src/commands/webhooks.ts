import { uuidv7 } from "../domain/ids.ts";
import { seal } from "../domain/secrets.ts";
import { invalidArgument } from "../errors/usher-error.ts";
import { targetProblem } from "../outbox/egress.ts";
import { callSubscriber, signingSecrets } from "../outbox/webhook-call.ts";
import { testBody } from "../outbox/webhook-payloads.ts";
import { newSigningKey, newWebhookSecret } from "../outbox/webhook-signing.ts";
import {
  type TargetType,
  type WebhookChange,
  type WebhookKind,
  type WebhookRow,
  webhookQueries,
} from "../queries/webhooks.ts";
import type { Actor, CommandDeps } from "./deps.ts";

/** What a new subscriber is: a tenant's webhook (`standard`) or an instance-wide Actions target. */
export interface NewSubscriber {
  orgId: string | null;
  kind: WebhookKind;
  name: string;
  url: string;
  description: string;
  eventTypes: readonly string[];
  timeoutMs: number;
  targetType: TargetType;
  interruptOnError: boolean;
}

/** Refuses a URL the egress rules would refuse (INVALID_ARGUMENT `WEBHOOK-Url01`, naming why). */
export async function requireTargetUrl(deps: CommandDeps, url: string): Promise<void> {
  const problem = await targetProblem(url, deps.config.webhookAllowPrivate);
  if (problem) throw invalidArgument("WEBHOOK-Url01", `url ${problem}`);
}

/**
 * Creates a subscriber with a fresh secret (a `whsec_` secret, or a ZITADEL signing key),
 * stored sealed; the plain secret is returned once.
 */
export async function createSubscriber(
  deps: CommandDeps,
  input: NewSubscriber,
): Promise<{ webhook: WebhookRow; secret: string }> {
  await requireTargetUrl(deps, input.url);
  const id = uuidv7();
  const secret = input.kind === "standard" ? newWebhookSecret() : newSigningKey();
  const at = deps.now();
  const webhook = await webhookQueries(deps.db).insert({
    id,
    org_id: input.orgId,
    kind: input.kind,
    name: input.name,
    url: input.url,
    description: input.description,
    event_types: [...input.eventTypes],
    secret: seal(deps.keys.webhook, secret, id),
    timeout_ms: input.timeoutMs,
    target_type: input.targetType,
    interrupt_on_error: input.interruptOnError,
    created_at: at,
    updated_at: at,
  });
  return { webhook, secret };
}

export async function changeSubscriber(
  deps: CommandDeps,
  w: WebhookRow,
  change: WebhookChange,
): Promise<WebhookRow> {
  if (change.url !== undefined) await requireTargetUrl(deps, change.url);
  return (await webhookQueries(deps.db).update(w.id, change, deps.now())) ?? w;
}

/**
 * Replaces a subscriber's secret; the old one keeps signing (beside the new) for `graceMs`, so
 * receivers can switch without a gap. Returns the new secret, shown once.
 */
export async function rotateSecret(deps: CommandDeps, w: WebhookRow, graceMs: number): Promise<string> {
  const secret = w.kind === "standard" ? newWebhookSecret() : newSigningKey();
  const at = deps.now();
  await webhookQueries(deps.db).rotate(
    w.id,
    seal(deps.keys.webhook, secret, w.id),
    w.secret,
    new Date(at.getTime() + graceMs),
    at,
  );
  return secret;
}

/** The outcome of a test call: what the subscriber answered, or why it could not be reached. */
export interface TestOutcome {
  delivered: boolean;
  status: number | null;
  duration_ms: number;
  error: string | null;
}

/** Calls the subscriber now with a signed `usher.webhook.test` event; records nothing. */
export async function testSubscriber(deps: CommandDeps, w: WebhookRow): Promise<TestOutcome> {
  const at = deps.now();
  const started = performance.now();
  try {
    const answer = await callSubscriber(
      w,
      signingSecrets(deps.keys.webhook, w, at),
      `test_${uuidv7()}`,
      testBody(w.org_id ?? "", at),
      at,
      { allowPrivate: deps.config.webhookAllowPrivate, responseLimit: deps.config.webhookResponseLimit },
    );
    const ok = answer.status >= 200 && answer.status < 300;
    return {
      delivered: ok,
      status: answer.status,
      duration_ms: answer.durationMs,
      error: ok ? null : `answered ${answer.status}`,
    };
  } catch (e) {
    return {
      delivered: false,
      status: null,
      duration_ms: Math.round(performance.now() - started),
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

/** Who may manage an organization's webhooks: `org.write` on it. */
export function requireWebhookWrite(deps: CommandDeps, actor: Pick<Actor, "caller">, orgId: string): void {
  deps.authz.require(actor.caller, "org.write", { orgId }, "WEBHOOK-Perm1");
}

/** Who may read an organization's webhooks and deliveries: `org.read` on it. */
export function requireWebhookRead(deps: CommandDeps, actor: Pick<Actor, "caller">, orgId: string): void {
  deps.authz.require(actor.caller, "org.read", { orgId }, "WEBHOOK-Perm2");
}
