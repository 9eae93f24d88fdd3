import type {
  DeactivateUserRequest,
  DeleteUserRequest,
  LockUserRequest,
  ReactivateUserRequest,
  UnlockUserRequest,
} from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { changeUserState, deleteUser } from "../../commands/user-lifecycle.ts";
import { v2WriteDetails } from "./convert.ts";
import type { CallContext, MethodHandler } from "./handler.ts";
import { actorOf } from "./v2-requests.ts";

/** DeactivateUser, ReactivateUser, LockUser, UnlockUser and DeleteUser of `zitadel.user.v2.UserService`. */
export function stateHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async deactivateUser(req: DeactivateUserRequest, call: CallContext) {
      return {
        details: v2WriteDetails(
          await deps.db.transaction((tx) =>
            changeUserState(tx, deps, actorOf(call), req.userId, "deactivate"),
          ),
        ),
      };
    },

    async reactivateUser(req: ReactivateUserRequest, call: CallContext) {
      return {
        details: v2WriteDetails(
          await deps.db.transaction((tx) =>
            changeUserState(tx, deps, actorOf(call), req.userId, "reactivate"),
          ),
        ),
      };
    },

    async lockUser(req: LockUserRequest, call: CallContext) {
      return {
        details: v2WriteDetails(
          await deps.db.transaction((tx) => changeUserState(tx, deps, actorOf(call), req.userId, "lock")),
        ),
      };
    },

    async unlockUser(req: UnlockUserRequest, call: CallContext) {
      return {
        details: v2WriteDetails(
          await deps.db.transaction((tx) => changeUserState(tx, deps, actorOf(call), req.userId, "unlock")),
        ),
      };
    },

    async deleteUser(req: DeleteUserRequest, call: CallContext) {
      return {
        details: v2WriteDetails(
          await deps.db.transaction((tx) => deleteUser(tx, deps, actorOf(call), req.userId)),
        ),
      };
    },
  };
}
