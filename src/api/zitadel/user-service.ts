import type { SetHumanEmail } from "@zitadel/proto/zitadel/user/v2/email_pb.js";
import type {
  AddHumanUserRequest,
  CreateInviteCodeRequest,
  GetUserByIDRequest,
  ResendInviteCodeRequest,
  VerifyInviteCodeRequest,
} from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { createInviteCode, verifyInviteCode } from "../../commands/invite-codes.ts";
import { addHumanUser, type EmailVerification } from "../../commands/users.ts";
import { unimplemented } from "../../errors/usher-error.ts";
import { getUserForCaller } from "../../views/users.ts";
import { v2User, v2WriteDetails } from "./convert.ts";
import type { CallContext, ServiceBinding } from "./handler.ts";
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
        if (req.phone || req.idpLinks.length > 0 || req.totpSecret || req.metadata.length > 0) {
          throw unimplemented(
            undefined,
            "phone, metadata, IdP links and TOTP on AddHumanUser are not supported yet",
          );
        }
        const pw = req.passwordType;
        const result = await addHumanUser(deps, actor(call), {
          orgId: call.orgId,
          userId: req.userId,
          username: req.username,
          givenName: req.profile?.givenName ?? "",
          familyName: req.profile?.familyName ?? "",
          nickName: req.profile?.nickName,
          displayName: req.profile?.displayName,
          preferredLanguage: req.profile?.preferredLanguage,
          gender: req.profile?.gender,
          email: req.email?.email ?? "",
          verification: emailVerification(req.email?.verification),
          password:
            pw.case === "password"
              ? { plain: pw.value.password, changeRequired: pw.value.changeRequired }
              : pw.case === "hashedPassword"
                ? { hash: pw.value.hash, changeRequired: pw.value.changeRequired }
                : undefined,
        });
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
        const result = await createInviteCode(
          deps,
          actor(call),
          req.userId,
          v.case === "returnCode"
            ? { kind: "return" }
            : { kind: "send", urlTemplate: v.value?.urlTemplate, applicationName: v.value?.applicationName },
        );
        return { details: v2WriteDetails(result.details), inviteCode: result.code };
      },

      async resendInviteCode(req: ResendInviteCodeRequest, call: CallContext) {
        const result = await createInviteCode(deps, actor(call), req.userId, { kind: "send" }, true);
        return { details: v2WriteDetails(result.details) };
      },

      async verifyInviteCode(req: VerifyInviteCodeRequest, call: CallContext) {
        return {
          details: v2WriteDetails(
            await verifyInviteCode(deps, actor(call), req.userId, req.verificationCode),
          ),
        };
      },
    },
  };
}

function emailVerification(v: SetHumanEmail["verification"] | undefined): EmailVerification {
  switch (v?.case) {
    case "sendCode":
      return { kind: "send", urlTemplate: v.value.urlTemplate };
    case "returnCode":
      return { kind: "return" };
    case "isVerified":
      return { kind: "verified", verified: v.value };
    default:
      return { kind: "default" };
  }
}
