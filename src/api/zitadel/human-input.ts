import type { SetHumanEmail } from "@zitadel/proto/zitadel/user/v2/email_pb.js";
import type { AddHumanUserRequest } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import type { AddHumanInput, EmailVerification } from "../../commands/users.ts";
import { unimplemented } from "../../errors/usher-error.ts";

/**
 * A v2 `AddHumanUserRequest` as the input of `addHumanUser`, without its organization (the
 * caller decides it). Parts Usher does not store yet answer UNIMPLEMENTED.
 */
export function humanInputOf(req: AddHumanUserRequest): Omit<AddHumanInput, "orgId"> {
  if (req.phone || req.idpLinks.length > 0 || req.totpSecret || req.metadata.length > 0) {
    throw unimplemented(
      undefined,
      "phone, metadata, IdP links and TOTP on AddHumanUser are not supported yet",
    );
  }
  const pw = req.passwordType;
  return {
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
