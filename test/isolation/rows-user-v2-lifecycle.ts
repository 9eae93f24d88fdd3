import assert from "node:assert/strict";
import { Code } from "@connectrpc/connect";
import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { rest } from "../helpers/clients.ts";
import { unique } from "../helpers/test-app.ts";
import {
  authenticated,
  type CallerKind,
  key,
  type Outcome,
  permission,
  type Row,
  type Where,
} from "./matrix-types.ts";

const m = (name: string) => {
  const method = UserService.methods.find((x) => x.name === name);
  if (!method) throw new Error(`no method ${name}`);
  return key(method);
};

/** Where the server is and the instance admin's token, for setting targets up. */
export interface LifecycleRowsHelpers {
  baseUrl: string;
  adminToken: string;
}

const write = permission("write", "AUTH-AWfge");
const writeOrSelf = permission("write", "AUTH-AWfge", { self: true });

/** A locked or inactive user's own token no longer authenticates. */
const selfTokenDead =
  (inner: (kind: CallerKind, where: Where) => Outcome) =>
  (kind: CallerKind, where: Where): Outcome =>
    kind === "self" ? { code: Code.Unauthenticated, id: "AUTH-7fs1e" } : inner(kind, where);

/**
 * Rows for the v2 lifecycle methods (email, passwords, profile, states, delete, list): state
 * and existence checks pass for a fresh active user, so the permission decides (spec §6.1).
 */
export function userLifecycleRows(h: LifecycleRowsHelpers): Record<string, Row> {
  const admin = async (path: string, body: unknown = {}) => {
    const res = await rest(h.baseUrl, "POST", path, { token: h.adminToken, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  return {
    [m("SetEmail")]: {
      request: (t) => ({
        userId: t.userId,
        email: `${unique("set")}@example.com`,
        verification: { case: "sendCode", value: {} },
      }),
      expect: writeOrSelf,
    },
    [m("SendEmailCode")]: { request: (t) => ({ userId: t.userId }), expect: writeOrSelf },
    [m("ResendEmailCode")]: {
      setup: async (t) => {
        await admin(`/v2/users/${t.userId}/email/send`, { returnCode: {} });
      },
      request: (t) => ({ userId: t.userId }),
      expect: writeOrSelf,
    },
    [m("VerifyEmail")]: {
      setup: async (t) => {
        t.extra.code = (await admin(`/v2/users/${t.userId}/email/send`, { returnCode: {} }))
          .verificationCode as string;
      },
      request: (t) => ({ userId: t.userId, verificationCode: t.extra.code }),
      expect: authenticated(),
    },
    [m("PasswordReset")]: {
      request: (t) => ({ userId: t.userId, medium: { case: "sendLink", value: {} } }),
      expect: writeOrSelf,
    },
    [m("SetPassword")]: {
      request: (t) => ({
        userId: t.userId,
        newPassword: { password: "a good password", changeRequired: false },
      }),
      expect: write,
    },
    [m("UpdateHumanUser")]: {
      request: (t) => ({ userId: t.userId, profile: { givenName: "Changed", familyName: "Name" } }),
      expect: write,
    },
    [m("DeactivateUser")]: { request: (t) => ({ userId: t.userId }), expect: write },
    [m("ReactivateUser")]: {
      setup: async (t) => {
        await admin(`/v2/users/${t.userId}/deactivate`);
      },
      request: (t) => ({ userId: t.userId }),
      expect: selfTokenDead(write),
    },
    [m("LockUser")]: { request: (t) => ({ userId: t.userId }), expect: write },
    [m("UnlockUser")]: {
      setup: async (t) => {
        await admin(`/v2/users/${t.userId}/lock`);
      },
      request: (t) => ({ userId: t.userId }),
      expect: selfTokenDead(write),
    },
    [m("DeleteUser")]: { request: (t) => ({ userId: t.userId }), expect: writeOrSelf },
    // Never refused: users outside the caller's reach are left out of the result.
    [m("ListUsers")]: {
      request: (t) => ({ queries: [{ query: { case: "inUserIdsQuery", value: { userIds: [t.userId] } } }] }),
      expect: authenticated(),
    },
  };
}
