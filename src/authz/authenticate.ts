import { Code } from "@connectrpc/connect";
import type { Queryable } from "../db/types.ts";
import { hashToken } from "../domain/tokens.ts";
import { UsherError } from "../errors/usher-error.ts";
import { INSTANCE_SCOPE } from "../queries/members.ts";
import { tokenQueries } from "../queries/tokens.ts";
import type { Caller } from "./caller.ts";

/**
 * Resolves `Authorization: Bearer <token>` to a caller. Missing header → UNAUTHENTICATED
 * `auth header missing` (no detail, as ZITADEL); unknown, revoked or expired token →
 * `Errors.Token.Invalid (AUTH-7fs1e)`, untranslated like every authorization-layer error.
 */
export async function authenticate(q: Queryable, authorization: string | null, now: Date): Promise<Caller> {
  if (!authorization) throw new UsherError({ code: Code.Unauthenticated, key: "auth header missing" });
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const owner = match?.[1] ? await tokenQueries(q).ownerOf(hashToken(match[1]), now) : undefined;
  if (!owner)
    throw new UsherError({ code: Code.Unauthenticated, id: "AUTH-7fs1e", key: "Errors.Token.Invalid" });
  // Last use is kept to the minute: one write a minute per token, not one per request.
  if (!owner.lastUsedAt || now.getTime() - owner.lastUsedAt.getTime() > 60_000) {
    await tokenQueries(q).touch(owner.tokenId, now);
  }
  const orgRoles = new Map<string, string[]>();
  let instanceRoles: string[] = [];
  for (const m of owner.memberships) {
    if (m.orgId === INSTANCE_SCOPE) instanceRoles = m.roles;
    else orgRoles.set(m.orgId, m.roles);
  }
  return { userId: owner.userId, orgId: owner.orgId, tokenId: owner.tokenId, instanceRoles, orgRoles };
}
