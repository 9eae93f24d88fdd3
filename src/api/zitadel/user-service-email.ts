import type {
  ResendEmailCodeRequest,
  SendEmailCodeRequest,
  SetEmailRequest,
  VerifyEmailRequest,
} from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { resendEmailCode, sendEmailCode, setEmail, verifyEmail } from "../../commands/email-codes.ts";
import { v2WriteDetails } from "./convert.ts";
import type { CallContext, MethodHandler } from "./handler.ts";
import { actorOf, codeDelivery, emailDelivery } from "./v2-requests.ts";

/** SetEmail, SendEmailCode, ResendEmailCode and VerifyEmail of `zitadel.user.v2.UserService`. */
export function emailHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async setEmail(req: SetEmailRequest, call: CallContext) {
      const delivery = emailDelivery(req.verification);
      const r = await deps.db.transaction((tx) =>
        setEmail(tx, deps, actorOf(call), req.userId, req.email, delivery),
      );
      return { details: v2WriteDetails(r.details), verificationCode: r.code };
    },

    async sendEmailCode(req: SendEmailCodeRequest, call: CallContext) {
      const delivery = codeDelivery(req.verification);
      const r = await deps.db.transaction((tx) =>
        sendEmailCode(tx, deps, actorOf(call), req.userId, delivery),
      );
      return { details: v2WriteDetails(r.details), verificationCode: r.code };
    },

    async resendEmailCode(req: ResendEmailCodeRequest, call: CallContext) {
      const delivery = codeDelivery(req.verification);
      const r = await deps.db.transaction((tx) =>
        resendEmailCode(tx, deps, actorOf(call), req.userId, delivery),
      );
      return { details: v2WriteDetails(r.details), verificationCode: r.code };
    },

    async verifyEmail(req: VerifyEmailRequest, call: CallContext) {
      const details = await deps.db.transaction((tx) =>
        verifyEmail(tx, deps, actorOf(call), req.userId, req.verificationCode),
      );
      return { details: v2WriteDetails(details) };
    },
  };
}
