import { rest } from "../helpers/clients.ts";

/** How a call reaches Usher: the tenant API, ZITADEL's REST transcoding, or Connect (JSON). */
export type Surface = "tenant" | "rest" | "connect";

/** The target a call acts on and what the run generated for it. */
export interface CallInput {
  baseUrl: string;
  token: string;
  /** The context organization (`x-zitadel-orgid`, `X-Tenant-ID`). */
  orgId: string;
  userId: string;
  /** Roles the call grants (role-granting calls only). */
  roles: string[];
  /** A unique value for names and addresses. */
  tag: string;
}

/** What a successful call handed out, for the property to check. */
export type Minted =
  /** A token (PAT, API key): the property authenticates it and tries calls with it. */
  | { kind: "token"; token: string }
  /** Roles on a scope (organization id, or "" for the instance) of the target user. */
  | { kind: "grant"; scope: string }
  /** A credential of the target user itself (its password, a code, its address). */
  | { kind: "user" };

export interface Answer {
  ok: boolean;
  status: number;
  body: Record<string, unknown>;
}

/** Which target a call needs. */
export type TargetKind = "machine" | "human" | "initial" | "member" | "iam-member";

/** The property's test files, each running one group of calls. */
export const GROUPS = ["tokens", "grants", "passwords", "passwords-v1", "codes", "addresses"] as const;

/** One credential-minting or role-granting call. */
export interface MintingCall {
  name: string;
  group: (typeof GROUPS)[number];
  surfaces: readonly Surface[];
  target: TargetKind;
  /** The scope the call grants roles on, for role-granting calls: "org" (the context) or "instance". */
  grants?: "org" | "instance" | "new-org" | "tenant-key";
  call(surface: Surface, input: CallInput): Promise<{ answer: Answer; minted: Minted }>;
}

/** A ZITADEL method over REST (path and body from the proto) or Connect (one JSON message). */
async function zitadel(
  surface: Surface,
  input: CallInput,
  m: {
    service: string;
    method: string;
    http: "POST" | "PUT";
    path: string;
    message: Record<string, unknown>;
  },
): Promise<Answer> {
  const headers = { "x-zitadel-orgid": input.orgId };
  if (surface === "connect") {
    const res = await fetch(`${input.baseUrl}/${m.service}/${m.method}`, {
      method: "POST",
      headers: {
        ...headers,
        authorization: `Bearer ${input.token}`,
        "content-type": "application/json",
        "connect-protocol-version": "1",
      },
      body: JSON.stringify(m.message),
    });
    const text = await res.text();
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    return { ok: res.status === 200, status: res.status, body };
  }
  // REST: path variables come out of the message, the rest is the body (`body: "*"`).
  const body: Record<string, unknown> = { ...m.message };
  const path = m.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = String(body[name]);
    delete body[name];
    return encodeURIComponent(value);
  });
  const res = await rest(input.baseUrl, m.http, path, { token: input.token, headers, body });
  return { ok: res.status === 200, status: res.status, body: res.body };
}

const USER = "zitadel.user.v2.UserService";
const MGMT = "zitadel.management.v1.ManagementService";
const ADMIN = "zitadel.admin.v1.AdminService";
const ORG = "zitadel.org.v2.OrganizationService";
const ZITADEL = ["rest", "connect"] as const;
const PASSWORD = "Escalate-1-Password!";

/** A ZITADEL call that hands out a credential of the target user. */
const userCredential = (
  name: string,
  group: MintingCall["group"],
  target: TargetKind,
  m: (i: CallInput) => {
    service: string;
    method: string;
    http: "POST" | "PUT";
    path: string;
    message: Record<string, unknown>;
  },
): MintingCall => ({
  name,
  group,
  surfaces: ZITADEL,
  target,
  async call(surface, input) {
    return { answer: await zitadel(surface, input, m(input)), minted: { kind: "user" } };
  },
});

/**
 * Every call of every surface that mints a token, grants roles, or hands out another user's
 * credential (its password, a code that sets it, or the address its codes go to). The
 * property test drives each with callers of every role; docs/design/escalation.md lists the same.
 */
export const MINTING_CALLS: readonly MintingCall[] = [
  {
    name: "tenant API: create an API key",
    group: "tokens",
    surfaces: ["tenant"],
    target: "machine",
    grants: "tenant-key",
    async call(_surface, i) {
      const res = await rest(i.baseUrl, "POST", "/v1/api-keys", {
        headers: { "x-api-key": i.token, "x-tenant-id": i.orgId },
        body: { name: i.tag, roles: i.roles },
      });
      return {
        answer: { ok: res.status === 201, status: res.status, body: res.body },
        minted: { kind: "token", token: String(res.body.raw_key) },
      };
    },
  },
  {
    name: "tenant API: resend an invite to a new address",
    group: "addresses",
    surfaces: ["tenant"],
    target: "human",
    async call(_surface, i) {
      const res = await rest(i.baseUrl, "POST", `/v1/users/${i.userId}/resend-invite`, {
        headers: { "x-api-key": i.token, "x-tenant-id": i.orgId },
        body: { email: `${i.tag}@attacker.example` },
      });
      return {
        answer: { ok: res.status === 200, status: res.status, body: res.body },
        minted: { kind: "user" },
      };
    },
  },
  {
    name: "v1 AddPersonalAccessToken",
    group: "tokens",
    surfaces: ZITADEL,
    target: "machine",
    async call(surface, i) {
      const answer = await zitadel(surface, i, {
        service: MGMT,
        method: "AddPersonalAccessToken",
        http: "POST",
        path: "/management/v1/users/{userId}/pats",
        message: { userId: i.userId },
      });
      return { answer, minted: { kind: "token", token: String(answer.body.token) } };
    },
  },
  {
    name: "v1 AddOrgMember",
    group: "grants",
    surfaces: ZITADEL,
    target: "human",
    grants: "org",
    async call(surface, i) {
      const answer = await zitadel(surface, i, {
        service: MGMT,
        method: "AddOrgMember",
        http: "POST",
        path: "/management/v1/orgs/me/members",
        message: { userId: i.userId, roles: i.roles },
      });
      return { answer, minted: { kind: "grant", scope: i.orgId } };
    },
  },
  {
    name: "v1 UpdateOrgMember",
    group: "grants",
    surfaces: ZITADEL,
    target: "member",
    grants: "org",
    async call(surface, i) {
      const answer = await zitadel(surface, i, {
        service: MGMT,
        method: "UpdateOrgMember",
        http: "PUT",
        path: "/management/v1/orgs/me/members/{userId}",
        message: { userId: i.userId, roles: i.roles },
      });
      return { answer, minted: { kind: "grant", scope: i.orgId } };
    },
  },
  {
    name: "admin AddIAMMember",
    group: "grants",
    surfaces: ZITADEL,
    target: "human",
    grants: "instance",
    async call(surface, i) {
      const answer = await zitadel(surface, i, {
        service: ADMIN,
        method: "AddIAMMember",
        http: "POST",
        path: "/admin/v1/members",
        message: { userId: i.userId, roles: i.roles },
      });
      return { answer, minted: { kind: "grant", scope: "" } };
    },
  },
  {
    name: "admin UpdateIAMMember",
    group: "grants",
    surfaces: ZITADEL,
    target: "iam-member",
    grants: "instance",
    async call(surface, i) {
      const answer = await zitadel(surface, i, {
        service: ADMIN,
        method: "UpdateIAMMember",
        http: "PUT",
        path: "/admin/v1/members/{userId}",
        message: { userId: i.userId, roles: i.roles },
      });
      return { answer, minted: { kind: "grant", scope: "" } };
    },
  },
  {
    name: "v2 AddOrganization with an admin",
    group: "grants",
    surfaces: ZITADEL,
    target: "human",
    grants: "new-org",
    async call(surface, i) {
      const answer = await zitadel(surface, i, {
        service: ORG,
        method: "AddOrganization",
        http: "POST",
        path: "/v2/organizations",
        message: { name: i.tag, admins: [{ userId: i.userId, roles: i.roles }] },
      });
      return { answer, minted: { kind: "grant", scope: String(answer.body.organizationId) } };
    },
  },
  userCredential("v2 SetPassword without proof", "passwords", "human", (i) => ({
    service: USER,
    method: "SetPassword",
    http: "POST",
    path: "/v2/users/{userId}/password",
    message: { userId: i.userId, newPassword: { password: PASSWORD, changeRequired: false } },
  })),
  userCredential("v1 SetHumanInitialPassword", "passwords-v1", "human", (i) => ({
    service: MGMT,
    method: "SetHumanInitialPassword",
    http: "POST",
    path: "/management/v1/users/{userId}/password/_initialize",
    message: { userId: i.userId, password: PASSWORD },
  })),
  userCredential("v2 PasswordReset returning the code", "codes", "human", (i) => ({
    service: USER,
    method: "PasswordReset",
    http: "POST",
    path: "/v2/users/{userId}/password_reset",
    message: { userId: i.userId, returnCode: {} },
  })),
  userCredential("v2 CreateInviteCode returning the code", "codes", "human", (i) => ({
    service: USER,
    method: "CreateInviteCode",
    http: "POST",
    path: "/v2/users/{userId}/invite_code",
    message: { userId: i.userId, returnCode: {} },
  })),
  userCredential("v2 SendEmailCode returning the code", "codes", "human", (i) => ({
    service: USER,
    method: "SendEmailCode",
    http: "POST",
    path: "/v2/users/{userId}/email/send",
    message: { userId: i.userId, returnCode: {} },
  })),
  userCredential("v2 SetEmail", "addresses", "human", (i) => ({
    service: USER,
    method: "SetEmail",
    http: "POST",
    path: "/v2/users/{userId}/email",
    message: { userId: i.userId, email: `${i.tag}@attacker.example`, isVerified: true },
  })),
  userCredential("v2 UpdateHumanUser email", "addresses", "human", (i) => ({
    service: USER,
    method: "UpdateHumanUser",
    http: "PUT",
    path: "/v2/users/human/{userId}",
    message: { userId: i.userId, email: { email: `${i.tag}@attacker.example`, isVerified: true } },
  })),
  userCredential("v2 UpdateHumanUser password without proof", "passwords-v1", "human", (i) => ({
    service: USER,
    method: "UpdateHumanUser",
    http: "PUT",
    path: "/v2/users/human/{userId}",
    message: { userId: i.userId, password: { password: { password: PASSWORD, changeRequired: false } } },
  })),
  userCredential("v1 UpdateHumanEmail", "addresses", "human", (i) => ({
    service: MGMT,
    method: "UpdateHumanEmail",
    http: "PUT",
    path: "/management/v1/users/{userId}/email",
    message: { userId: i.userId, email: `${i.tag}@attacker.example`, isEmailVerified: true },
  })),
  userCredential("v1 ResendHumanInitialization to a new address", "addresses", "initial", (i) => ({
    service: MGMT,
    method: "ResendHumanInitialization",
    http: "POST",
    path: "/management/v1/users/{userId}/_resend_initialization",
    message: { userId: i.userId, email: `${i.tag}@attacker.example` },
  })),
];
