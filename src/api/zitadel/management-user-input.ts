import type { AddHumanUserRequest, ImportHumanUserRequest } from "@zitadel/proto/zitadel/management_pb.js";
import type { V1HumanInput } from "../../commands/v1-add-human.ts";
import { unimplemented } from "../../errors/usher-error.ts";

/**
 * v1 AddHumanUserRequest as the input of `addHumanV1`: the password (if any) always has to be
 * changed at first use (spec §5.1). A phone number answers UNIMPLEMENTED: Usher stores none yet.
 */
export function v1AddHumanInput(req: AddHumanUserRequest, orgId: string): V1HumanInput {
  if (req.phone?.phone) throw unimplemented(undefined, "phone numbers are not supported yet");
  return {
    ...common(req, orgId),
    password: req.initialPassword ? { plain: req.initialPassword, changeRequired: true } : undefined,
  };
}

/**
 * v1 ImportHumanUserRequest as the input of `addHumanV1` (spec §5.2): a plain password keeps
 * `password_change_required`, an imported hash never requires a change. IdP links, OTP secrets,
 * passwordless registration and phone numbers answer UNIMPLEMENTED.
 */
export function v1ImportHumanInput(req: ImportHumanUserRequest, orgId: string): V1HumanInput {
  if (req.phone?.phone || req.idps.length > 0 || req.otpCode || req.requestPasswordlessRegistration) {
    throw unimplemented(
      undefined,
      "phone numbers, IdP links, OTP and passwordless registration on ImportHumanUser are not supported yet",
    );
  }
  const hash = req.hashedPassword?.value;
  return {
    ...common(req, orgId),
    password: req.password
      ? { plain: req.password, changeRequired: req.passwordChangeRequired }
      : hash
        ? { hash, changeRequired: false }
        : undefined,
  };
}

/** The fields both requests share. */
function common(req: AddHumanUserRequest | ImportHumanUserRequest, orgId: string) {
  const p = req.profile;
  return {
    orgId,
    username: req.userName,
    firstName: p?.firstName ?? "",
    lastName: p?.lastName ?? "",
    nickName: p?.nickName ?? "",
    displayName: p?.displayName ?? "",
    preferredLanguage: p?.preferredLanguage ?? "",
    gender: p?.gender ?? 0,
    email: req.email?.email ?? "",
    emailVerified: req.email?.isEmailVerified ?? false,
  };
}
