import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { unique } from "../helpers/test-app.ts";
import { authenticated, key, permission, type Row } from "./matrix-types.ts";

const m = (name: string) => {
  const method = UserService.methods.find((x) => x.name === name);
  if (!method) throw new Error(`no method ${name}`);
  return key(method);
};

/** What rows may ask of the harness: invites made by the instance admin. */
export interface Helpers {
  /** Mails a new invite code to the target. */
  sendInvite(t: { userId: string }): Promise<void>;
  /** Issues a new invite code and returns it (nothing is mailed). */
  returnInvite(t: { userId: string }): Promise<string>;
}

/** Rows for `zitadel.user.v2.UserService`. */
export function userServiceRows(h: Helpers): Record<string, Row> {
  return {
    [m("AddHumanUser")]: {
      request: (t) => ({
        organization: { org: { case: "orgId", value: t.orgId } },
        profile: { givenName: "New", familyName: "Person" },
        email: { email: `${unique("new")}@example.com`, verification: { case: "isVerified", value: false } },
      }),
      // Decided by the interceptor from the proto's auth_option (user.write on the org field).
      expect: permission("write", "AUTH-5mWD2"),
    },
    [m("GetUserByID")]: {
      request: (t) => ({ userId: t.userId }),
      expect: permission("read", "AUTH-AWfge", { self: true }),
    },
    [m("CreateInviteCode")]: {
      request: (t) => ({ userId: t.userId, verification: { case: "sendCode", value: {} } }),
      expect: permission("write", "AUTH-AWfge", { self: true }),
    },
    [m("ResendInviteCode")]: {
      setup: (t) => h.sendInvite(t),
      request: (t) => ({ userId: t.userId }),
      expect: permission("write", "AUTH-AWfge", { self: true }),
    },
    [m("VerifyInviteCode")]: {
      setup: async (t) => {
        t.extra.code = await h.returnInvite(t);
      },
      request: (t) => ({ userId: t.userId, verificationCode: t.extra.code }),
      expect: authenticated(),
    },
  };
}
