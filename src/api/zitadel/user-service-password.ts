import { NotificationType } from "@zitadel/proto/zitadel/user/v2/password_pb.js";
import type {
  PasswordResetRequest,
  SetPasswordRequest,
  UpdateHumanUserRequest,
} from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { updateHumanUser } from "../../commands/update-human.ts";
import { passwordReset, setPassword } from "../../commands/user-passwords.ts";
import { unimplemented } from "../../errors/usher-error.ts";
import { v2WriteDetails } from "./convert.ts";
import type { CallContext, MethodHandler } from "./handler.ts";
import { actorOf, emailDelivery, passwordPart, proofOf } from "./v2-requests.ts";

/** PasswordReset, SetPassword and UpdateHumanUser of `zitadel.user.v2.UserService`. */
export function passwordHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async passwordReset(req: PasswordResetRequest, call: CallContext) {
      const m = req.medium;
      if (m.case === "sendLink" && m.value.notificationType === NotificationType.SMS)
        throw unimplemented(undefined, "password reset codes by SMS are not supported");
      const delivery =
        m.case === "returnCode"
          ? { kind: "return" as const }
          : { kind: "send" as const, urlTemplate: m.case === "sendLink" ? m.value.urlTemplate : undefined };
      const r = await deps.db.transaction((tx) =>
        passwordReset(tx, deps, actorOf(call), req.userId, delivery),
      );
      return { details: v2WriteDetails(r.details), verificationCode: r.code };
    },

    async setPassword(req: SetPasswordRequest, call: CallContext) {
      const pw = req.newPassword;
      const password = { plain: pw?.password ?? "", changeRequired: pw?.changeRequired ?? false };
      const details = await deps.db.transaction((tx) =>
        setPassword(tx, deps, actorOf(call), req.userId, password, proofOf(req.verification)),
      );
      return { details: v2WriteDetails(details) };
    },

    async updateHumanUser(req: UpdateHumanUserRequest, call: CallContext) {
      if (req.phone) throw unimplemented(undefined, "phone numbers are not supported yet");
      const input = {
        username: req.username,
        profile: req.profile,
        email: req.email && { email: req.email.email, delivery: emailDelivery(req.email.verification) },
        password: req.password && passwordPart(req.password),
      };
      const r = await deps.db.transaction((tx) =>
        updateHumanUser(tx, deps, actorOf(call), req.userId, input),
      );
      return { details: v2WriteDetails(r.details), emailCode: r.code };
    },
  };
}
