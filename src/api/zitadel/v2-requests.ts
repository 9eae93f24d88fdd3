import type { SetHumanEmail } from "@zitadel/proto/zitadel/user/v2/email_pb.js";
import type { SetPassword } from "@zitadel/proto/zitadel/user/v2/password_pb.js";
import type { Actor } from "../../commands/deps.ts";
import type { EmailDelivery } from "../../commands/email-change.ts";
import type { NewPassword, PasswordProof } from "../../commands/password-change.ts";
import type { CallContext } from "./handler.ts";

/** Who acts, from a call: the caller and the context organization. */
export function actorOf(call: CallContext): Actor {
  return { caller: call.caller, orgId: call.orgId };
}

/** The `verification` oneof of SendEmailCode / ResendEmailCode; absent = mail with the default link. */
export type CodeVerification =
  | { case: "sendCode"; value: { urlTemplate?: string } }
  | { case: "returnCode"; value: unknown }
  | { case: undefined; value?: undefined };

/** A send-or-return oneof as a delivery. */
export function codeDelivery(v: CodeVerification): Exclude<EmailDelivery, { kind: "verified" }> {
  if (v.case === "returnCode") return { kind: "return" };
  return { kind: "send", urlTemplate: v.case === "sendCode" ? v.value.urlTemplate : undefined };
}

/**
 * The `verification` oneof of SetEmail / SetHumanEmail. `is_verified: false` is not "verified"
 * (SetEmail's PGV refuses it; UpdateHumanUser then mails a code, as ZITADEL does).
 */
export function emailDelivery(v: SetHumanEmail["verification"]): EmailDelivery {
  if (v.case === "isVerified") return v.value ? { kind: "verified" } : { kind: "send" };
  return codeDelivery(v);
}

/** UpdateHumanUser's `password` part: the new password or hash, and its proof. */
export function passwordPart(p: SetPassword): { password: NewPassword | undefined; proof: PasswordProof } {
  const t = p.passwordType;
  const password: NewPassword | undefined =
    t.case === "password"
      ? { plain: t.value.password, changeRequired: t.value.changeRequired }
      : t.case === "hashedPassword"
        ? { hash: t.value.hash, changeRequired: t.value.changeRequired }
        : undefined;
  return { password, proof: proofOf(p.verification) };
}

/** The `verification` oneof of SetPassword requests. */
export function proofOf(
  v:
    | { case: "currentPassword"; value: string }
    | { case: "verificationCode"; value: string }
    | { case: undefined; value?: undefined },
): PasswordProof {
  if (v.case === "currentPassword") return { kind: "current", password: v.value };
  if (v.case === "verificationCode") return { kind: "code", code: v.value };
  return { kind: "none" };
}
