import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ListUsersRequest } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { listUsersForCaller } from "../../views/user-list.ts";
import { v2User } from "./convert.ts";
import type { CallContext, MethodHandler } from "./handler.ts";
import { userListRequest } from "./list-users-request.ts";

/** ListUsers of `zitadel.user.v2.UserService`. */
export function listHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async listUsers(req: ListUsersRequest, call: CallContext) {
      const list = await listUsersForCaller(deps.db, deps.authz, call.caller, userListRequest(req));
      return {
        details: { totalResult: BigInt(list.total), timestamp: timestampFromDate(deps.now()) },
        sortingColumn: req.sortingColumn,
        result: list.users.map(v2User),
      };
    },
  };
}
