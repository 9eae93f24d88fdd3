import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { Code } from "@connectrpc/connect";
import { UsherError } from "../errors/usher-error.ts";
import type { Action, Authorizer, Decision, Target } from "./authorizer.ts";
import type { Caller } from "./caller.ts";
import { loadCheckedPolicies } from "./checked-policies.ts";
import { decisionKeys } from "./decision-key.ts";
import { describe } from "./policy-files.ts";

const POLICY_SET_ID = "usher";
const USER = "Usher::User";
const ORG = "Usher::Org";
const ACTION = "Usher::Action";
const DECISION_CACHE_SIZE = 10_000;

type EntityJson = cedar.EntityJson;

/**
 * The schema with the default policies and the operator's (`USHER_POLICY_DIR`), checked (see
 * `loadCheckedPolicies`; a broken policy stops start-up with a message naming its file and id)
 * and pre-parsed once. `cacheDir` keeps the check's result between starts.
 */
export function loadCedarAuthorizer(
  options: { policyDir?: string | undefined; cacheDir?: string | undefined } = {},
): Authorizer {
  const { policies, actions } = loadCheckedPolicies(options);
  const byId = new Map(policies.map((p) => [p.id, p]));
  const staticPolicies = Object.fromEntries(policies.map((p) => [p.id, p.text]));
  const parsed = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies });
  if (parsed.type === "failure") throw new Error(`policies: ${describe(parsed.errors)}`);
  const actionEntities = new Map(actions);
  const keyOf = decisionKeys(policies.map((p) => p.tree));
  // Policies are fixed for the life of the process, so a decision may be reused for every
  // request with the same key (`decisionKeys` says what that covers). Bounded: cleared when full.
  const decided = new Map<string, Decision>();

  function decide(caller: Caller, action: Action, target: Target): Decision {
    const key = keyOf(caller, action, target);
    let decision = decided.get(key);
    if (!decision) {
      if (decided.size >= DECISION_CACHE_SIZE) decided.clear();
      decision = Object.freeze(evaluate(caller, action, target));
      decided.set(key, decision);
    }
    return decision;
  }

  function evaluate(caller: Caller, action: Action, target: Target): Decision {
    const instanceRoles = [...caller.instanceRoles];
    const orgRoles = target.orgId ? [...(caller.orgRoles.get(target.orgId) ?? [])] : [];
    const principal = { type: USER, id: caller.userId };
    const resource = target.userId
      ? { type: USER, id: target.userId }
      : { type: ORG, id: target.orgId || "-" };
    const entities: EntityJson[] = [{ uid: principal, attrs: { orgId: caller.orgId }, parents: [] }];
    if (target.userId && target.userId !== caller.userId) {
      const attrs: Record<string, cedar.CedarValueJson> = { orgId: target.orgId };
      if (target.email !== undefined) attrs.email = target.email;
      if (target.emailVerified !== undefined) attrs.emailVerified = target.emailVerified;
      entities.push({ uid: resource, attrs, parents: [] });
    } else if (!target.userId) entities.push({ uid: resource, attrs: {}, parents: [] });
    const answer = cedar.statefulIsAuthorized({
      principal,
      action: { type: ACTION, id: action },
      resource,
      context: { instanceRoles, orgRoles },
      preparsedPolicySetId: POLICY_SET_ID,
      entities: [...entities, ...(actionEntities.get(action) ?? [])],
    });
    if (answer.type === "failure") throw new Error(`authorization failed: ${describe(answer.errors)}`);
    const { decision, diagnostics } = answer.response;
    const reasons = diagnostics.reason;
    return {
      allowed: decision === "allow",
      noMembership: instanceRoles.length === 0 && orgRoles.length === 0,
      policies: reasons,
      notices: decision === "allow" ? [] : reasons.flatMap((id) => byId.get(id)?.notice ?? []),
    };
  }

  return {
    decide,
    require(caller, action, target, deniedId) {
      const d = decide(caller, action, target);
      if (d.allowed) return;
      const details = { notices: d.notices, policies: d.policies };
      if (d.noMembership && d.policies.length === 0) {
        throw new UsherError({
          code: Code.NotFound,
          id: "AUTHZ-cdgFk",
          key: "membership not found",
          details,
          reason: "no_membership",
        });
      }
      throw new UsherError({
        code: Code.PermissionDenied,
        id: deniedId,
        key: "No matching permissions found",
        details,
      });
    },
  };
}
