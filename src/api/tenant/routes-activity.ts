import type { Caller } from "../../authz/caller.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { deliveryQueries } from "../../queries/deliveries.ts";
import { outboxQueries } from "../../queries/outbox.ts";
import { tenantUserQueries } from "../../queries/tenant-users.ts";
import { decodeCursor, page } from "./cursor.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { PageQuery } from "./schemas.ts";
import { DeliveriesQuery } from "./schemas-activity.ts";
import { notFound, TenantError } from "./tenant-error.ts";

const caller = (c: TenantCall) => c.caller as Caller;

/** Why a failed message cannot be queued again, per answer of the retry. */
const NOT_RETRIED: Readonly<Record<string, [string, string]>> = {
  not_failed: ["not_failed", "Only a failed message can be retried."],
  outdated: ["outdated", "A newer message of this kind exists for the user; its code replaced this one."],
  expired: ["expired", "The message's code has expired; send a new one instead."],
};

/**
 * What happened: a user's events (`/v1/users/{id}/events`), the tenant's deliveries with counts
 * by status (`/v1/deliveries`), and the retry of a failed message. The console's timeline and
 * deliveries page are built on these; they are ordinary tenant API endpoints.
 */
export function activityRoutes(deps: CommandDeps): TenantRoute[] {
  const deliveries = deliveryQueries(deps.db);
  return [
    {
      method: "GET",
      path: "/v1/users/{id}/events",
      operationId: "listUserEvents",
      summary: "The user's events (created, code added, code sent, verified, locked …), newest first",
      tag: "Users",
      access: "credential",
      query: PageQuery,
      responses: { 200: "UserEventPage", 404: "Error" },
      async handler(c) {
        const row = await tenantUserQueries(deps.db).get(c.tenantId, c.params.id ?? "");
        if (!row) throw notFound("User", { user_id: c.params.id });
        deps.authz.require(
          caller(c),
          "user.read",
          { orgId: c.tenantId, userId: row.id, email: row.email },
          "AUTH-AWfge",
        );
        const limit = (c.query.limit as number | undefined) ?? 50;
        const after = decodeCursor(c.query.cursor);
        const rows = await deliveries.events(c.tenantId, row.id, {
          limit,
          before: after ? Number(after.id) : undefined,
        });
        const keyed = rows.map((r) => ({ ...r, id: String(r.sequence) }));
        return {
          status: 200,
          body: page(keyed, limit, (e) => ({
            sequence: e.sequence,
            type: e.type,
            created_at: e.created_at.toISOString(),
          })),
        };
      },
    },
    {
      method: "GET",
      path: "/v1/deliveries",
      operationId: "listDeliveries",
      summary: "The tenant's messages by delivery status (counts), newest first, optionally of one status",
      tag: "Deliveries",
      access: "credential",
      query: DeliveriesQuery,
      responses: { 200: "DeliveryPage" },
      async handler(c) {
        deps.authz.require(caller(c), "user.read", { orgId: c.tenantId }, "AUTH-AWfge");
        const limit = (c.query.limit as number | undefined) ?? 50;
        const rows = await deliveries.list(c.tenantId, {
          limit,
          status: c.query.status as string | undefined,
          after: decodeCursor(c.query.cursor),
        });
        const counts = await deliveries.counts(c.tenantId);
        const listed = page(rows, limit, (m) => ({
          id: m.id,
          user_id: m.user_id,
          type: m.message_type,
          recipient: m.recipient,
          status: m.status,
          attempts: m.attempts,
          last_error: m.last_error,
          created_at: m.created_at.toISOString(),
          updated_at: m.updated_at.toISOString(),
        }));
        return { status: 200, body: { counts, ...listed } };
      },
    },
    {
      method: "POST",
      path: "/v1/deliveries/{id}/retry",
      operationId: "retryDelivery",
      summary: "Queue a failed message again (if its code is still the user's newest and has not expired)",
      tag: "Deliveries",
      access: "credential",
      responses: { 200: "RetryResult", 404: "Error", 409: "Error" },
      async handler(c) {
        const id = c.params.id ?? "";
        const message = await deliveries.get(c.tenantId, id);
        if (!message) throw notFound("Message", { message_id: id });
        const user = await tenantUserQueries(deps.db).get(c.tenantId, message.user_id);
        deps.authz.require(
          caller(c),
          "user.write",
          { orgId: c.tenantId, userId: message.user_id, email: user?.email ?? message.recipient },
          "AUTH-AWfge",
        );
        const result = await outboxQueries(deps.db).retry(id, deps.now());
        const refused = NOT_RETRIED[result];
        if (refused) throw new TenantError(409, refused[0], refused[1], { message_id: id });
        return { status: 200, body: { message: "Queued again.", status: "queued" } };
      },
    },
  ];
}
