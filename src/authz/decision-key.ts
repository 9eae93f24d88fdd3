import type { Action, Target } from "./authorizer.ts";
import type { Caller } from "./caller.ts";

/**
 * Cache keys for authorization decisions. A Cedar decision depends only on what the policies
 * can observe of a request: the action, the entity types, whether principal and resource are
 * the same entity, the attributes the policies read, and the roles in the context. Entity ids
 * matter only when a policy names an entity (`Usher::User::"…"`, `Usher::Org::"…"`); attributes
 * only when a policy reads them. So two requests with equal keys get the same decision, and
 * requests on different users of one organization share a key when the policies allow it.
 */
export function decisionKeys(
  trees: readonly unknown[],
): (caller: Caller, action: Action, target: Target) => string {
  const read = new Set<string>();
  let namesEntities = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (typeof o.attr === "string") read.add(o.attr);
    if (typeof o.type === "string" && typeof o.id === "string" && o.type !== "Usher::Action")
      namesEntities = true;
    for (const v of Object.values(o)) walk(v);
  };
  walk(trees);
  const readsEmail = read.has("email");
  const readsVerified = read.has("emailVerified");
  return (caller, action, target) => {
    const isUser = target.userId ? 1 : 0;
    const self = target.userId !== undefined && target.userId === caller.userId ? 1 : 0;
    return JSON.stringify([
      action,
      caller.orgId,
      target.orgId,
      isUser,
      self,
      caller.instanceRoles,
      target.orgId ? (caller.orgRoles.get(target.orgId) ?? []) : [],
      readsEmail && !self ? (target.email ?? null) : null,
      readsVerified && !self ? (target.emailVerified ?? null) : null,
      namesEntities ? [caller.userId, target.userId ?? null] : null,
    ]);
  };
}
