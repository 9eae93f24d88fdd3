import type {
  AddIAMMemberRequest,
  ListEventsRequest,
  ListIAMMembersRequest,
  RemoveIAMMemberRequest,
  UpdateIAMMemberRequest,
} from "@zitadel/proto/zitadel/admin_pb.js";
import { AdminService } from "@zitadel/proto/zitadel/admin_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import {
  addInstanceMember,
  changeInstanceMember,
  removeInstanceMember,
} from "../../commands/instance-members.ts";
import { AGGREGATE_TYPES, EVENT_TYPES } from "../../domain/event-catalog.ts";
import { searchEvents, storedEventTypes } from "../../queries/events-search.ts";
import { instanceQueries } from "../../queries/instance.ts";
import { INSTANCE_SCOPE } from "../../queries/members.ts";
import { memberListQueries } from "../../queries/members-list.ts";
import { pageOf } from "../../queries/search.ts";
import { eventSearchOf, v1AggregateType, v1Event, v1EventType } from "./admin-events.ts";
import { v1AddDetails, v1ChangeDetails, v1ListDetails, v1Member } from "./convert-v1.ts";
import type { CallContext, ServiceBinding } from "./handler.ts";
import { memberFilterOf } from "./management-org.ts";

const actor = (call: CallContext) => ({ caller: call.caller, orgId: call.orgId });

/**
 * `zitadel.admin.v1.AdminService`, REST under `/admin/v1`: the instance's members (IAM roles) and
 * its events (`events.read`, which only IAM_OWNER holds by default).
 */
export function adminServiceV1(deps: CommandDeps): ServiceBinding {
  return {
    service: AdminService,
    restPrefix: "/admin/v1",
    handlers: {
      async addIAMMember(req: AddIAMMemberRequest, call: CallContext) {
        return {
          details: v1AddDetails(
            await deps.db.transaction((tx) =>
              addInstanceMember(tx, deps, actor(call), req.userId, req.roles),
            ),
          ),
        };
      },

      async updateIAMMember(req: UpdateIAMMemberRequest, call: CallContext) {
        return {
          details: v1ChangeDetails(
            await deps.db.transaction((tx) =>
              changeInstanceMember(tx, deps, actor(call), req.userId, req.roles),
            ),
          ),
        };
      },

      async removeIAMMember(req: RemoveIAMMemberRequest, call: CallContext) {
        return {
          details: v1ChangeDetails(
            await deps.db.transaction((tx) => removeInstanceMember(tx, deps, actor(call), req.userId)),
          ),
        };
      },

      async listIAMMembers(req: ListIAMMembersRequest) {
        const instanceId = (await instanceQueries(deps.db).get())?.instanceId ?? "";
        const list = await memberListQueries(deps.db).search(
          INSTANCE_SCOPE,
          req.queries.map(memberFilterOf),
          pageOf(req.query),
        );
        return {
          details: v1ListDetails(list.total, deps.now()),
          result: list.members.map((m) => v1Member(m, instanceId)),
        };
      },

      async listEvents(req: ListEventsRequest) {
        return { events: (await searchEvents(deps.db, eventSearchOf(req))).map(v1Event) };
      },

      async listEventTypes() {
        const types = new Set([...EVENT_TYPES, ...(await storedEventTypes(deps.db))]);
        return { eventTypes: [...types].sort().map(v1EventType) };
      },

      async listAggregateTypes() {
        return { aggregateTypes: Object.keys(AGGREGATE_TYPES).map(v1AggregateType) };
      },
    },
  };
}
