import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import type { ServiceBinding } from "./handler.ts";
import { managementOrgHandlers } from "./management-org.ts";
import { managementUserStateHandlers } from "./management-user-state.ts";
import { managementUserHandlers } from "./management-users.ts";

/**
 * `zitadel.management.v1.ManagementService`, REST under `/management/v1`. Its handlers come
 * from one file per area, spread together here; methods without one answer UNIMPLEMENTED.
 */
export function managementServiceV1(deps: CommandDeps): ServiceBinding {
  return {
    service: ManagementService,
    restPrefix: "/management/v1",
    handlers: {
      ...managementOrgHandlers(deps),
      ...managementUserHandlers(deps),
      ...managementUserStateHandlers(deps),
    },
  };
}
