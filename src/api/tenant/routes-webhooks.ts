import type { CommandDeps } from "../../commands/deps.ts";
import {
  changeSubscriber,
  createSubscriber,
  requireWebhookRead,
  requireWebhookWrite,
  rotateSecret,
  testSubscriber,
} from "../../commands/webhooks.ts";
import {
  type AttemptRow,
  type DeliveryRow,
  webhookDeliveryQueries,
} from "../../queries/webhook-deliveries.ts";
import { type WebhookRow, webhookQueries } from "../../queries/webhooks.ts";
import { decodeCursor, page } from "./cursor.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { PageQuery } from "./schemas.ts";
import { CreateWebhook, RotateSecret, UpdateWebhook } from "./schemas-events.ts";
import { notFound, TenantError } from "./tenant-error.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const caller = (c: TenantCall) => ({ caller: c.caller as NonNullable<TenantCall["caller"]> });

/** A subscription as the API shows it (never its secret). */
export const webhookView = (w: WebhookRow, now: Date) => ({
  id: w.id,
  url: w.url,
  event_types: w.event_types,
  description: w.description,
  timeout_ms: w.timeout_ms,
  status: w.status,
  paused_reason: w.paused_reason,
  previous_secret_expires_at:
    w.previous_until && w.previous_until.getTime() > now.getTime() ? w.previous_until.toISOString() : null,
  created_at: w.created_at.toISOString(),
  updated_at: w.updated_at.toISOString(),
});

const deliveryView = (d: DeliveryRow, attempts: readonly AttemptRow[]) => ({
  id: d.id,
  event_type: d.event_type,
  user_id: d.aggregate_id,
  sequence: d.event_sequence,
  status: d.status,
  attempts: attempts.map((a) => ({
    attempt: a.attempt,
    at: a.at.toISOString(),
    status: a.status_code,
    duration_ms: a.duration_ms,
    error: a.error,
  })),
  // A paused subscriber's deliveries wait at 'infinity' (the driver reads it as a number): null.
  next_attempt_at:
    d.status === "queued" && d.next_attempt_at instanceof Date ? d.next_attempt_at.toISOString() : null,
  created_at: d.created_at.toISOString(),
  delivered_at: iso(d.delivered_at),
});

/** Webhook subscriptions of a tenant, signed per Standard Webhooks, and their deliveries. */
export function webhookRoutes(deps: CommandDeps): TenantRoute[] {
  const load = async (c: TenantCall): Promise<WebhookRow> => {
    const w = await webhookQueries(deps.db).byId(c.params.id ?? "", c.tenantId, "standard");
    if (!w) throw notFound("Webhook", { webhook_id: c.params.id });
    return w;
  };
  const forWrite = async (c: TenantCall) => {
    requireWebhookWrite(deps, caller(c), c.tenantId);
    return load(c);
  };
  const route = (r: Omit<TenantRoute, "tag" | "access">): TenantRoute => ({
    ...r,
    tag: "Webhooks",
    access: "credential",
  });
  return [
    route({
      method: "POST",
      path: "/v1/webhooks",
      operationId: "createWebhook",
      summary: "Subscribe a URL to event types; the signing secret is in this response only",
      body: CreateWebhook,
      responses: { 201: "WebhookWithSecret" },
      idempotent: true,
      async handler(c) {
        requireWebhookWrite(deps, caller(c), c.tenantId);
        const b = c.body as { url: string; event_types: string[]; description?: string; timeout_ms?: number };
        const { webhook, secret } = await createSubscriber(deps, {
          orgId: c.tenantId,
          kind: "standard",
          name: "",
          url: b.url,
          description: b.description ?? "",
          eventTypes: b.event_types,
          timeoutMs: b.timeout_ms ?? 10_000,
          targetType: "",
          interruptOnError: false,
        });
        return { status: 201, body: { ...webhookView(webhook, deps.now()), secret } };
      },
    }),
    route({
      method: "GET",
      path: "/v1/webhooks",
      operationId: "listWebhooks",
      summary: "List the tenant's webhook subscriptions, oldest first",
      query: PageQuery,
      responses: { 200: "WebhookPage" },
      async handler(c) {
        requireWebhookRead(deps, caller(c), c.tenantId);
        const limit = (c.query.limit as number | undefined) ?? 50;
        const rows = await webhookQueries(deps.db).list(
          c.tenantId,
          "standard",
          limit,
          decodeCursor(c.query.cursor),
        );
        return { status: 200, body: page(rows, limit, (w) => webhookView(w, deps.now())) };
      },
    }),
    route({
      method: "GET",
      path: "/v1/webhooks/{id}",
      operationId: "getWebhook",
      summary: "One webhook subscription, with why it is paused if it is",
      responses: { 200: "Webhook", 404: "Error" },
      async handler(c) {
        requireWebhookRead(deps, caller(c), c.tenantId);
        return { status: 200, body: webhookView(await load(c), deps.now()) };
      },
    }),
    route({
      method: "PATCH",
      path: "/v1/webhooks/{id}",
      operationId: "updateWebhook",
      summary: "Change the URL, event types, description or timeout; `paused` pauses or resumes",
      body: UpdateWebhook,
      responses: { 200: "Webhook", 404: "Error" },
      idempotent: true,
      async handler(c) {
        const w = await forWrite(c);
        const b = c.body as {
          url?: string;
          event_types?: string[];
          description?: string;
          timeout_ms?: number;
          paused?: boolean;
        };
        await changeSubscriber(deps, w, {
          url: b.url,
          eventTypes: b.event_types,
          description: b.description,
          timeoutMs: b.timeout_ms,
        });
        if (b.paused !== undefined)
          await webhookQueries(deps.db).setStatus(
            w.id,
            b.paused ? "paused" : "active",
            "paused through the API",
            deps.now(),
          );
        return { status: 200, body: webhookView(await load(c), deps.now()) };
      },
    }),
    ...(["pause", "resume"] as const).map((action) =>
      route({
        method: "POST",
        path: `/v1/webhooks/{id}/${action}`,
        operationId: `${action}Webhook`,
        summary:
          action === "pause"
            ? "Pause deliveries; events keep queueing (for 24 h each) until resumed"
            : "Resume a paused subscription; what waited is delivered in order",
        responses: { 200: "Webhook", 404: "Error" },
        idempotent: true,
        async handler(c) {
          const w = await forWrite(c);
          await webhookQueries(deps.db).setStatus(
            w.id,
            action === "pause" ? "paused" : "active",
            "paused through the API",
            deps.now(),
          );
          return { status: 200, body: webhookView(await load(c), deps.now()) };
        },
      }),
    ),
    route({
      method: "DELETE",
      path: "/v1/webhooks/{id}",
      operationId: "deleteWebhook",
      summary: "Delete a subscription and its delivery records",
      responses: { 204: null, 404: "Error" },
      idempotent: true,
      async handler(c) {
        const w = await forWrite(c);
        await webhookQueries(deps.db).remove(w.id);
        return { status: 204 };
      },
    }),
    route({
      method: "POST",
      path: "/v1/webhooks/{id}/rotate-secret",
      operationId: "rotateWebhookSecret",
      summary: "A new secret, in this response only; the old one keeps signing too for a while",
      body: RotateSecret,
      responses: { 200: "WebhookWithSecret", 404: "Error" },
      idempotent: true,
      async handler(c) {
        const w = await forWrite(c);
        const grace =
          ((c.body as { previous_valid_seconds?: number }).previous_valid_seconds ?? 86_400) * 1000;
        const secret = await rotateSecret(deps, w, grace);
        return { status: 200, body: { ...webhookView(await load(c), deps.now()), secret } };
      },
    }),
    route({
      method: "POST",
      path: "/v1/webhooks/{id}/test",
      operationId: "testWebhook",
      summary: "Call the URL now with a signed `usher.webhook.test` event and show the answer",
      responses: { 200: "WebhookTest", 404: "Error" },
      async handler(c) {
        const w = await forWrite(c);
        return { status: 200, body: await testSubscriber(deps, w) };
      },
    }),
    route({
      method: "GET",
      path: "/v1/webhooks/{id}/deliveries",
      operationId: "listWebhookDeliveries",
      summary: "The subscription's deliveries, newest first, each with every attempt",
      query: PageQuery,
      responses: { 200: "DeliveryPage", 404: "Error" },
      async handler(c) {
        requireWebhookRead(deps, caller(c), c.tenantId);
        const w = await load(c);
        const limit = (c.query.limit as number | undefined) ?? 50;
        const q = webhookDeliveryQueries(deps.db);
        const rows = await q.list(w.id, limit, decodeCursor(c.query.cursor));
        const attempts = await q.attemptsOf(rows.slice(0, limit).map((r) => r.id));
        return {
          status: 200,
          body: page(rows, limit, (d) =>
            deliveryView(
              d,
              attempts.filter((a) => a.delivery_id === d.id),
            ),
          ),
        };
      },
    }),
    route({
      method: "POST",
      path: "/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
      operationId: "redeliverWebhookDelivery",
      summary: "Send a delivered or failed event again (same webhook-id), in its place in the user's order",
      responses: { 202: "Delivery", 404: "Error", 409: "Error" },
      idempotent: true,
      async handler(c) {
        const w = await forWrite(c);
        const q = webhookDeliveryQueries(deps.db);
        const d = await q.redeliver(w.id, c.params.delivery_id ?? "", deps.now());
        if (d === "not_found") throw notFound("Delivery", { delivery_id: c.params.delivery_id });
        if (d === "pending")
          throw new TenantError(409, "conflict", "The delivery is still queued or being sent.", {
            delivery_id: c.params.delivery_id,
          });
        return { status: 202, body: deliveryView(d, await q.attemptsOf([d.id])) };
      },
    }),
  ];
}
