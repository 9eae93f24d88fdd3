import assert from "node:assert/strict";
import { Code } from "@connectrpc/connect";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { rest } from "../helpers/clients.ts";
import { unique } from "../helpers/test-app.ts";
import {
  type CallerKind,
  key,
  type Outcome,
  permission,
  type Row,
  type Target,
  type Where,
} from "./matrix-types.ts";

const m = (name: string) => {
  const method = ManagementService.methods.find((x) => x.name === name);
  if (!method) throw new Error(`no method ${name}`);
  return key(method);
};

/** Where the server is and the instance admin's token, for setting targets up. */
export interface ManagementUserRowsHelpers {
  baseUrl: string;
  adminToken: string;
}

// The v1 interceptor decides on the context organization (the target's, by header) first.
const read = permission("read", "AUTH-5mWD2");
const write = permission("write", "AUTH-5mWD2");

/** A locked or inactive user's own token no longer authenticates. */
const selfTokenDead = (kind: CallerKind, where: Where): Outcome =>
  kind === "self" ? { code: Code.Unauthenticated, id: "AUTH-7fs1e" } : write(kind, where);

/**
 * Rows for the user part of `zitadel.management.v1.ManagementService` (spec §5): every call
 * names the target's organization in `x-zitadel-orgid`; the fresh target is ACTIVE with an
 * unverified email, and setups move it where the call applies.
 */
export function managementUserRows(h: ManagementUserRowsHelpers): Record<string, Row> {
  const admin = async (method: string, path: string, t: Target, body: unknown = {}) => {
    const res = await rest(h.baseUrl, method, `/management/v1${path}`, {
      token: h.adminToken,
      headers: { "x-zitadel-orgid": t.orgId },
      body,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const inOrg = (t: Target) => ({ "x-zitadel-orgid": t.orgId });
  const human = () => ({
    userName: unique("v1"),
    profile: { firstName: "New", lastName: "Person" },
    email: { email: `${unique("v1")}@example.com` },
  });
  const id = (t: Target) => ({ id: t.userId });
  return {
    [m("AddHumanUser")]: { headers: inOrg, request: human, expect: write },
    [m("ImportHumanUser")]: {
      headers: inOrg,
      request: () => ({ ...human(), password: "a good password" }),
      expect: write,
    },
    [m("GetUserByID")]: { headers: inOrg, request: id, expect: read },
    [m("ResendHumanInitialization")]: {
      setup: async (t) => {
        t.extra.initialId = (await admin("POST", "/users/human", t, human())).userId as string;
      },
      headers: inOrg,
      request: (t) => ({ userId: t.extra.initialId, email: `${unique("moved")}@example.com` }),
      expect: write,
    },
    [m("ResendHumanEmailVerification")]: {
      headers: inOrg,
      request: (t) => ({ userId: t.userId }),
      expect: write,
    },
    [m("UpdateHumanEmail")]: {
      headers: inOrg,
      request: (t) => ({ userId: t.userId, email: `${unique("upd")}@example.com` }),
      expect: write,
    },
    [m("SetHumanInitialPassword")]: {
      headers: inOrg,
      request: (t) => ({ userId: t.userId, password: "a good password" }),
      expect: write,
    },
    [m("DeactivateUser")]: { headers: inOrg, request: id, expect: write },
    [m("ReactivateUser")]: {
      setup: async (t) => {
        await admin("POST", `/users/${t.userId}/_deactivate`, t);
      },
      headers: inOrg,
      request: id,
      expect: selfTokenDead,
    },
    [m("LockUser")]: { headers: inOrg, request: id, expect: write },
    [m("UnlockUser")]: {
      setup: async (t) => {
        await admin("POST", `/users/${t.userId}/_lock`, t);
      },
      headers: inOrg,
      request: id,
      expect: selfTokenDead,
    },
    [m("RemoveUser")]: { headers: inOrg, request: id, expect: write },
  };
}
