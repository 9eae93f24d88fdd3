import type {
  ResendEmailCodeRequest,
  SendEmailCodeRequest,
  SetEmailRequest,
  VerifyEmailRequest,
} from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { sendEmailCode, setEmail, verifyEmail } from "../../commands/email-codes.ts";
import { v2WriteDetails } from "./convert.ts";
import type { CallContext, MethodHandler } from "./handler.ts";
import { actorOf, codeDelivery, emailDelivery } from "./v2-requests.ts";

/** SetEmail, SendEmailCode, ResendEmailCode and VerifyEmail of `zitadel.user.v2.UserService`. */
export function emailHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async setEmail(req: SetEmailRequest, call: CallContext) {
      const r = await setEmail(deps, actorOf(call), req.userId, req.email, emailDelivery(req.verification));
      return { details: v2WriteDetails(r.details), verificationCode: r.code };
    },

    async sendEmailCode(req: SendEmailCodeRequest, call: CallContext) {
      const r = await sendEmailCode(deps, actorOf(call), req.userId, codeDelivery(req.verification), false);
      return { details: v2WriteDetails(r.details), verificationCode: r.code };
    },

    async resendEmailCode(req: ResendEmailCodeRequest, call: CallContext) {
      const r = await sendEmailCode(deps, actorOf(call), req.userId, codeDelivery(req.verification), true);
      return { details: v2WriteDetails(r.details), verificationCode: r.code };
    },

    async verifyEmail(req: VerifyEmailRequest, call: CallContext) {
      const details = await verifyEmail(deps, actorOf(call), req.userId, req.verificationCode);
      return { details: v2WriteDetails(details) };
    },
  };
}
