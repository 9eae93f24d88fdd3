import type { CommandDeps } from "../../commands/deps.ts";
import type { TenantRoute } from "./route.ts";
import { activityRoutes } from "./routes-activity.ts";
import { authRoutes } from "./routes-auth.ts";
import { eventRoutes } from "./routes-events.ts";
import { inviteJobRoutes } from "./routes-invite-jobs.ts";
import { keyRoutes } from "./routes-keys.ts";
import { textRoutes } from "./routes-texts.ts";
import { userRoutes } from "./routes-users.ts";
import { webhookRoutes } from "./routes-webhooks.ts";

/** Every endpoint of the tenant API, in one list: the router and the OpenAPI document read it. */
export function tenantRoutes(deps: CommandDeps): TenantRoute[] {
  return [
    ...userRoutes(deps),
    ...activityRoutes(deps),
    ...authRoutes(deps),
    ...keyRoutes(deps),
    ...textRoutes(deps),
    ...webhookRoutes(deps),
    ...eventRoutes(deps),
    ...inviteJobRoutes(deps),
  ];
}
