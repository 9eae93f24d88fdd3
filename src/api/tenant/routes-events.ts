import { setTimeout as sleep } from "node:timers/promises";
import type { CommandDeps } from "../../commands/deps.ts";
import { EVENT_CATALOG, EVENT_TYPES, publicEvent } from "../../domain/event-catalog.ts";
import { FEED_START, type FeedPosition, readFeed } from "../../queries/event-feed.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { EventsQuery } from "./schemas-events.ts";
import { validation } from "./tenant-error.ts";

/** How often a long-poll looks again while nothing new is visible. */
const POLL_MS = 250;

export function encodeFeedCursor(p: FeedPosition): string {
  return Buffer.from(`${p.tx}.${p.position}`).toString("base64url");
}

export function decodeFeedCursor(text: unknown): FeedPosition {
  if (text === undefined || text === "") return FEED_START;
  const m = /^(\d{1,20})\.(\d{1,20})$/.exec(Buffer.from(String(text), "base64url").toString("utf8"));
  if (!m?.[1] || !m[2])
    throw validation([{ field: "query.after", message: "is not a cursor this API returned" }]);
  return { tx: m[1], position: m[2] };
}

function typesOf(text: unknown): string[] {
  if (text === undefined || text === "") return [...EVENT_TYPES];
  const types = String(text)
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = types.filter((t) => !EVENT_CATALOG[t]);
  if (unknown.length > 0)
    throw validation([{ field: "query.types", message: `unknown event types: ${unknown.join(", ")}` }]);
  return types;
}

/** The event feed: every published event of the tenant, oldest first, from a cursor. */
export function eventRoutes(deps: CommandDeps): TenantRoute[] {
  return [
    {
      method: "GET",
      path: "/v1/events",
      operationId: "listEvents",
      summary: "Events after a cursor, oldest first; `wait` long-polls until one arrives",
      tag: "Events",
      access: "credential",
      query: EventsQuery,
      responses: { 200: "EventFeed" },
      async handler(c: TenantCall) {
        const caller = c.caller as NonNullable<TenantCall["caller"]>;
        deps.authz.require(caller, "user.read", { orgId: c.tenantId }, "EVENTS-Perm1");
        const after = decodeFeedCursor(c.query.after);
        const filter = {
          orgId: c.tenantId,
          types: typesOf(c.query.types),
          userId: (c.query.user_id as string | undefined) ?? null,
          limit: (c.query.limit as number | undefined) ?? 100,
        };
        const deadline = Date.now() + Number.parseInt(String(c.query.wait ?? "0"), 10) * 1000;
        let rows = await readFeed(deps.db, after, filter);
        while (rows.length === 0 && Date.now() < deadline) {
          await sleep(Math.min(POLL_MS, deadline - Date.now()));
          rows = await readFeed(deps.db, after, filter);
        }
        const last = rows.at(-1);
        return {
          status: 200,
          body: {
            data: rows.map(publicEvent),
            next_cursor: encodeFeedCursor(last ? { tx: last.tx, position: last.position } : after),
          },
        };
      },
    },
  ];
}
