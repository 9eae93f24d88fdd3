import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { authenticate } from "../../src/authz/authenticate.ts";
import { ACTIONS, type Target } from "../../src/authz/authorizer.ts";
import type { Caller } from "../../src/authz/caller.ts";
import { ESCALATION_DENIED_ID, ESCALATION_NOTICE } from "../../src/authz/no-escalation.ts";
import { INSTANCE_ROLES, ORG_ROLES } from "../../src/authz/roles.ts";
import { rest } from "../helpers/clients.ts";
import { fixtures } from "../helpers/fixtures.ts";
import { startTestApp, type TestApp, unique } from "../helpers/test-app.ts";
import {
  type CallInput,
  MINTING_CALLS,
  type Minted,
  type MintingCall,
  type Surface,
} from "./minting-calls.ts";

/**
 * Security invariant 2 (docs/SECURITY.md), as a property: every credential-minting and role-granting call of every surface,
 * driven by callers of every role against targets with generated roles, never hands out a
 * credential that can do anything its caller could not. Checked two ways: Cedar's decision for
 * the credential's principal against the caller's, for every action on the instance, both
 * organizations (and a new one) and on users in them; and, for tokens, real calls made with
 * the new credential.
 */
let t: TestApp;
let orgA: string;
let orgB: string;
const callers = new Map<string, { token: string; userId: string }>();
/** Per call: how many runs succeeded and how many the rule refused (neither may stay 0). */
const tally = new Map<string, { ok: number; escalation: number }>();

const CALLER_ROLES: Record<string, { instance?: string[]; org?: string[] }> = {
  IAM_OWNER: { instance: ["IAM_OWNER"] },
  IAM_USER_MANAGER: { instance: ["IAM_USER_MANAGER"] },
  IAM_OWNER_VIEWER: { instance: ["IAM_OWNER_VIEWER"] },
  ORG_OWNER: { org: ["ORG_OWNER"] },
  ORG_USER_MANAGER: { org: ["ORG_USER_MANAGER"] },
  ORG_USER_VIEWER: { org: ["ORG_USER_VIEWER"] },
  ORG_OWNER_VIEWER: { org: ["ORG_OWNER_VIEWER"] },
  "plain user": {},
};
const CALLER_KINDS = [...Object.keys(CALLER_ROLES), "self"] as const;

/** The roles a generated target holds: on the instance, on A, on B (each maybe none). */
const pick = (roles: readonly string[]) => fc.constantFrom<string[]>([], ...roles.map((r) => [r]));
const profile = fc.record({ instance: pick(INSTANCE_ROLES), a: pick(ORG_ROLES), b: pick(ORG_ROLES) });
type Profile = { instance: string[]; a: string[]; b: string[] };

const grantedRoles = (call: MintingCall) =>
  call.grants === "instance"
    ? fc.subarray([...INSTANCE_ROLES], { minLength: 1, maxLength: 2 })
    : call.grants === "tenant-key"
      ? fc.subarray(["admin", "user_manager", "viewer"], { minLength: 1, maxLength: 2 })
      : fc.subarray([...ORG_ROLES], { minLength: 1, maxLength: 2 });

/** A fresh target of the kind the call needs, with the profile's roles and a token of its own. */
async function makeTarget(call: MintingCall, p: Profile, contextOrg: string) {
  const fx = fixtures(t.app.db);
  const { userId } = await fx.user(orgA, call.target === "machine" ? "machine" : "human");
  if (call.target === "initial") await t.app.db.query("update users set state = 6 where id = $1", [userId]);
  const instance = call.grants === "instance" && call.target !== "iam-member" ? [] : p.instance;
  if (instance.length > 0 || call.target === "iam-member")
    await fx.grant("", userId, instance.length > 0 ? instance : ["IAM_OWNER_VIEWER"]);
  for (const [orgId, roles] of [
    [orgA, p.a],
    [orgB, p.b],
  ] as const) {
    // AddOrgMember needs a user who is no member of the context organization yet.
    if (call.grants === "org" && call.target !== "member" && orgId === contextOrg) continue;
    const given =
      roles.length > 0 ? roles : call.target === "member" && orgId === contextOrg ? ["ORG_USER_VIEWER"] : [];
    if (given.length > 0) await fx.grant(orgId, userId, [...given]);
  }
  return { userId, token: await fx.token(orgA, userId) };
}

/** Who a token is, as the server sees it. */
async function principalOf(token: string): Promise<Caller> {
  return authenticate(t.app.db, `Bearer ${token}`, new Date());
}

/** Only the roles a grant gave, on its scope: the credential the caller handed out. */
async function grantOf(userId: string, scope: string): Promise<Caller> {
  const rows = await t.app.db.query<{ roles: string[] }>(
    "select roles from members where org_id = $1 and user_id = $2",
    [scope, userId],
  );
  const roles = rows[0]?.roles ?? [];
  return {
    userId,
    orgId: orgA,
    tokenId: "",
    instanceRoles: scope === "" ? roles : [],
    orgRoles: scope === "" ? new Map() : new Map([[scope, roles]]),
  };
}

/** Every (action, target) the credential is allowed and the caller is not; empty is good. */
function beyondCaller(credential: Caller, caller: Caller, scopes: string[]): string[] {
  const authz = t.app.deps.authz;
  const out: string[] = [];
  for (const orgId of scopes) {
    const targets: Target[] = [{ orgId }, { orgId, userId: "someone-else" }];
    for (const target of targets) {
      for (const action of ACTIONS) {
        if (authz.decide(credential, action, target).allowed && !authz.decide(caller, action, target).allowed)
          out.push(`${action} on ${target.userId ? "a user of " : ""}${orgId || "the instance"}`);
      }
    }
  }
  return out;
}

/** Real calls with a new token; each one it may make, the caller must be allowed too. */
async function probe(token: string, caller: Caller): Promise<string[]> {
  const authz = t.app.deps.authz;
  const probes = [
    {
      what: "org.member.read on A (list API keys)",
      action: "org.member.read" as const,
      orgId: orgA,
      run: () =>
        rest(t.baseUrl, "GET", "/v1/api-keys", { headers: { "x-api-key": token, "x-tenant-id": orgA } }),
    },
    {
      // The interceptor asks on the context organization (the credential's own, A).
      what: "iam.member.read (ListIAMMembers)",
      action: "iam.member.read" as const,
      orgId: orgA,
      run: () => rest(t.baseUrl, "POST", "/admin/v1/members/_search", { token, body: {} }),
    },
    {
      what: "org.member.read on B (ListOrgMembers)",
      action: "org.member.read" as const,
      orgId: orgB,
      run: () =>
        rest(t.baseUrl, "POST", "/management/v1/orgs/me/members/_search", {
          token,
          headers: { "x-zitadel-orgid": orgB },
          body: {},
        }),
    },
    {
      what: "user.write on B (AddMachineUser)",
      action: "user.write" as const,
      orgId: orgB,
      run: () =>
        rest(t.baseUrl, "POST", "/management/v1/users/machine", {
          token,
          headers: { "x-zitadel-orgid": orgB },
          body: { userName: unique("probe"), name: "probe" },
        }),
    },
  ];
  const out: string[] = [];
  for (const p of probes) {
    const res = await p.run();
    if (res.status < 300 && !authz.decide(caller, p.action, { orgId: p.orgId }).allowed) out.push(p.what);
  }
  return out;
}

/**
 * Two runs every caller gets besides the random ones, so every call sees both outcomes: the
 * most powerful target and grant (refused unless the caller holds everything), and the least.
 */
function examplesFor(call: MintingCall): [Surface, Profile, string[], boolean][] {
  const [most, least] =
    call.grants === "instance"
      ? [["IAM_OWNER"], ["IAM_OWNER_VIEWER"]]
      : call.grants === "tenant-key"
        ? [["admin"], ["viewer"]]
        : [["ORG_OWNER"], ["ORG_USER_VIEWER"]];
  const surface = call.surfaces[0] as Surface;
  return [
    [surface, { instance: ["IAM_OWNER"], a: ["ORG_OWNER"], b: ["ORG_OWNER"] }, most, false],
    [surface, { instance: [], a: [], b: [] }, least, false],
  ];
}

/** One run: a caller calls, and whatever it was handed must not exceed it. */
async function run(
  call: MintingCall,
  kind: string,
  surface: string,
  p: Profile,
  roles: string[],
  onB: boolean,
) {
  const contextOrg = call.grants === "org" && onB ? orgB : orgA;
  const target = await makeTarget(call, p, contextOrg);
  const as = kind === "self" ? target : (callers.get(kind) as { token: string; userId: string });
  const caller = await principalOf(as.token);
  const input: CallInput = {
    baseUrl: t.baseUrl,
    token: as.token,
    orgId: contextOrg,
    userId: target.userId,
    roles,
    tag: unique("esc"),
  };
  const { answer, minted } = await call.call(surface as never, input);
  const seen = tally.get(call.name) ?? { ok: 0, escalation: 0 };
  tally.set(call.name, seen);
  if (!answer.ok) {
    assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status} ${JSON.stringify(answer.body)}`);
    const text = JSON.stringify(answer.body);
    if (text.includes(ESCALATION_DENIED_ID) || text.includes(ESCALATION_NOTICE)) seen.escalation++;
    return;
  }
  seen.ok++;
  const scopes = ["", orgA, orgB];
  let credential: Caller;
  const what = minted as Minted;
  if (what.kind === "token") credential = await principalOf(what.token);
  else if (what.kind === "grant") {
    credential = await grantOf(target.userId, what.scope);
    scopes.push(what.scope);
  } else credential = await principalOf(target.token);
  const context = `${call.name} over ${surface} by ${kind}, target ${JSON.stringify(p)}, roles ${roles}`;
  assert.deepEqual(beyondCaller(credential, caller, scopes), [], `Cedar: ${context}`);
  if (what.kind === "token") assert.deepEqual(await probe(what.token, caller), [], `calls: ${context}`);
}

/**
 * Registers the property for the calls `which` selects (the calls are spread over a few test
 * files so each stays within the runner's time limit); `MINTING_CALLS` must be covered whole.
 */
export function escalationProperty(which: (call: MintingCall) => boolean, numRuns = 2): void {
  before(async () => {
    // With an operator policy that delegates member management to user managers, so the
    // role-granting calls have callers who may grant but not everything (with ZITADEL's
    // default roles, whoever may grant holds every permission of the scope).
    const policyDir = fileURLToPath(new URL("./policies", import.meta.url));
    t = await startTestApp({ config: { throttleEnabled: false, policyDir } });
    const fx = fixtures(t.app.db);
    orgA = t.defaultOrgId;
    orgB = await fx.org();
    for (const [kind, roles] of Object.entries(CALLER_ROLES)) {
      const { userId } = await fx.user(orgA, "machine");
      if (roles.instance) await fx.grant("", userId, roles.instance);
      if (roles.org) await fx.grant(orgA, userId, roles.org);
      callers.set(kind, { userId, token: await fx.token(orgA, userId) });
    }
  });
  after(async () => {
    await t?.stop();
  });
  describe("no credential can do more than its creator (property)", () => {
    for (const call of MINTING_CALLS.filter(which)) {
      test(call.name, async () => {
        for (const kind of CALLER_KINDS) {
          const property = fc.asyncProperty(
            fc.constantFrom(...call.surfaces),
            profile,
            grantedRoles(call),
            fc.boolean(),
            (surface, p, roles, onB) => run(call, kind, surface, p, roles, onB),
          );
          const details = await fc.check(property, { numRuns, examples: examplesFor(call) });
          // The reporter shows only the message: say which run failed and why.
          if (details.failed) {
            const why = details.errorInstance instanceof Error ? details.errorInstance.message : "";
            assert.fail(`${call.name} by ${kind}: ${JSON.stringify(details.counterexample)}\n${why}`);
          }
        }
        // A property that never saw a success, or never saw the rule refuse, proves nothing.
        const seen = tally.get(call.name);
        assert.ok(seen && seen.ok > 0, `${call.name}: no run succeeded`);
        assert.ok(seen.escalation > 0, `${call.name}: no run was refused by the rule`);
      });
    }
  });
}
