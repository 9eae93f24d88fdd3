import type {
  DeactivateUserRequest,
  LockUserRequest,
  ReactivateUserRequest,
  RemoveUserRequest,
  UnlockUserRequest,
} from "@zitadel/proto/zitadel/management_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { changeUserStateV1, removeUserV1 } from "../../commands/v1-lifecycle.ts";
import { v1ChangeDetails } from "./convert-v1.ts";
import type { CallContext, MethodHandler } from "./handler.ts";

const actor = (call: CallContext) => ({ caller: call.caller, orgId: call.orgId });

/**
 * DeactivateUser, ReactivateUser, LockUser, UnlockUser and RemoveUser of
 * `zitadel.management.v1.ManagementService` (spec §5.8), on users of the context organization.
 */
export function managementUserStateHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async deactivateUser(req: DeactivateUserRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => changeUserStateV1(tx, deps, actor(call), req.id, "deactivate")),
        ),
      };
    },

    async reactivateUser(req: ReactivateUserRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => changeUserStateV1(tx, deps, actor(call), req.id, "reactivate")),
        ),
      };
    },

    async lockUser(req: LockUserRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => changeUserStateV1(tx, deps, actor(call), req.id, "lock")),
        ),
      };
    },

    async unlockUser(req: UnlockUserRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => changeUserStateV1(tx, deps, actor(call), req.id, "unlock")),
        ),
      };
    },

    async removeUser(req: RemoveUserRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => removeUserV1(tx, deps, actor(call), req.id)),
        ),
      };
    },
  };
}
