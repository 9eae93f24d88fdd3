import type {
  AddHumanUserRequest,
  GetUserByIDRequest,
  ImportHumanUserRequest,
  ResendHumanEmailVerificationRequest,
  ResendHumanInitializationRequest,
  SetHumanInitialPasswordRequest,
  UpdateHumanEmailRequest,
} from "@zitadel/proto/zitadel/management_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { addHumanV1 } from "../../commands/v1-add-human.ts";
import { resendEmailVerification, updateHumanEmail } from "../../commands/v1-email.ts";
import { setInitialPassword } from "../../commands/v1-initial-password.ts";
import { resendInitialization } from "../../commands/v1-initialization.ts";
import { getUserInOrg } from "../../commands/v1-scope.ts";
import { v1AddDetails, v1ChangeDetails, v1User } from "./convert-v1.ts";
import type { CallContext, MethodHandler } from "./handler.ts";
import { v1AddHumanInput, v1ImportHumanInput } from "./management-user-input.ts";

const actor = (call: CallContext) => ({ caller: call.caller, orgId: call.orgId });

/**
 * The onboarding part of `zitadel.management.v1.ManagementService` (spec §5.1–§5.7): create
 * humans (INITIAL, with an init code mailed, unless verified and with a password), read them,
 * resend their init and verification mails, change their email, set a password. Every call
 * acts in the context organization; users elsewhere are not found.
 */
export function managementUserHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async addHumanUser(req: AddHumanUserRequest, call: CallContext) {
      const r = await deps.db.transaction((tx) =>
        addHumanV1(tx, deps, actor(call), v1AddHumanInput(req, call.orgId), "add"),
      );
      return { userId: r.userId, details: v1AddDetails(r.details) };
    },

    async importHumanUser(req: ImportHumanUserRequest, call: CallContext) {
      const r = await deps.db.transaction((tx) =>
        addHumanV1(tx, deps, actor(call), v1ImportHumanInput(req, call.orgId), "import"),
      );
      return { userId: r.userId, details: v1AddDetails(r.details) };
    },

    async getUserByID(req: GetUserByIDRequest, call: CallContext) {
      return { user: v1User(await getUserInOrg(deps.db, deps.authz, call.caller, call.orgId, req.id)) };
    },

    async resendHumanInitialization(req: ResendHumanInitializationRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) =>
            resendInitialization(tx, deps, actor(call), req.userId, req.email),
          ),
        ),
      };
    },

    async resendHumanEmailVerification(req: ResendHumanEmailVerificationRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => resendEmailVerification(tx, deps, actor(call), req.userId)),
        ),
      };
    },

    async updateHumanEmail(req: UpdateHumanEmailRequest, call: CallContext) {
      const details = await deps.db.transaction((tx) =>
        updateHumanEmail(tx, deps, actor(call), req.userId, req.email, req.isEmailVerified),
      );
      return { details: v1ChangeDetails(details) };
    },

    async setHumanInitialPassword(req: SetHumanInitialPasswordRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) =>
            setInitialPassword(tx, deps, actor(call), req.userId, req.password),
          ),
        ),
      };
    },
  };
}
