import type {
  AddHumanUserRequest,
  CreateInviteCodeRequest,
  GetUserByIDRequest,
  ResendInviteCodeRequest,
  VerifyInviteCodeRequest,
} from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import {
  createInviteCode,
  type InviteDelivery,
  resendInviteCode,
  verifyInviteCode,
} from "../../commands/invite-codes.ts";
import { addHumanUser } from "../../commands/users.ts";
import { getUserForCaller } from "../../views/users.ts";
import { v2User, v2WriteDetails } from "./convert.ts";
import type { CallContext, ServiceBinding } from "./handler.ts";
import { humanInputOf } from "./human-input.ts";
import { emailHandlers } from "./user-service-email.ts";
import { listHandlers } from "./user-service-list.ts";
import { passwordHandlers } from "./user-service-password.ts";
import { stateHandlers } from "./user-service-state.ts";

/**
 * `zitadel.user.v2.UserService`: each handler converts, calls one command or query, converts
 * back. The email, password, state and list handlers live in `user-service-*.ts`.
 */
export function userServiceV2(deps: CommandDeps): ServiceBinding {
  const actor = (call: CallContext) => ({ caller: call.caller, orgId: call.orgId });
  return {
    service: UserService,
    handlers: {
      ...emailHandlers(deps),
      ...passwordHandlers(deps),
      ...stateHandlers(deps),
      ...listHandlers(deps),

      async addHumanUser(req: AddHumanUserRequest, call: CallContext) {
        const input = { ...humanInputOf(req), orgId: call.orgId };
        const result = await deps.db.transaction((tx) => addHumanUser(tx, deps, actor(call), input));
        return {
          userId: result.userId,
          details: v2WriteDetails(result.details),
          emailCode: result.emailCode,
        };
      },

      async getUserByID(req: GetUserByIDRequest, call: CallContext) {
        const user = await getUserForCaller(deps.db, deps.authz, call.caller, req.userId);
        const view = v2User(user);
        return { details: view.details, user: view };
      },

      async createInviteCode(req: CreateInviteCodeRequest, call: CallContext) {
        const v = req.verification;
        const delivery: InviteDelivery =
          v.case === "returnCode"
            ? { kind: "return" }
            : { kind: "send", urlTemplate: v.value?.urlTemplate, applicationName: v.value?.applicationName };
        const result = await deps.db.transaction((tx) =>
          createInviteCode(tx, deps, actor(call), req.userId, delivery),
        );
        return { details: v2WriteDetails(result.details), inviteCode: result.code };
      },

      async resendInviteCode(req: ResendInviteCodeRequest, call: CallContext) {
        const result = await deps.db.transaction((tx) => resendInviteCode(tx, deps, actor(call), req.userId));
        return { details: v2WriteDetails(result.details) };
      },

      async verifyInviteCode(req: VerifyInviteCodeRequest, call: CallContext) {
        return {
          details: v2WriteDetails(
            await deps.db.transaction((tx) =>
              verifyInviteCode(tx, deps, actor(call), req.userId, req.verificationCode),
            ),
          ),
        };
      },
    },
  };
}
