import { Code } from "@connectrpc/connect";
import type { Queryable } from "../db/types.ts";
import { hashToken } from "../domain/tokens.ts";
import { UsherError } from "../errors/usher-error.ts";
import { INSTANCE_SCOPE } from "../queries/members.ts";
import { type TokenOwner, tokenQueries } from "../queries/tokens.ts";
import type { Caller } from "./caller.ts";
import type { CallerCache } from "./caller-cache.ts";

/**
 * Resolves `Authorization: Bearer <token>` to a caller. Missing header → UNAUTHENTICATED
 * `auth header missing` (no detail, as ZITADEL); unknown, revoked or expired token →
 * `Errors.Token.Invalid (AUTH-7fs1e)`, untranslated like every authorization-layer error.
 * With a cache, a token's owner is read from the database only when the cache has no answer.
 */
export async function authenticate(
  q: Queryable,
  authorization: string | null,
  now: Date,
  cache?: CallerCache,
): Promise<Caller> {
  if (!authorization) throw new UsherError({ code: Code.Unauthenticated, key: "auth header missing" });
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  let owner: TokenOwner | undefined;
  if (token) {
    const hash = hashToken(token);
    const load = () => tokenQueries(q).ownerOf(hash, now);
    owner = cache ? await cache.ownerOf(hash, now, load) : await load();
  }
  if (!owner)
    throw new UsherError({ code: Code.Unauthenticated, id: "AUTH-7fs1e", key: "Errors.Token.Invalid" });
  // Last use is kept to the minute: one write a minute per token, not one per request.
  if (!owner.lastUsedAt || now.getTime() - owner.lastUsedAt.getTime() > 60_000) {
    await tokenQueries(q).touch(owner.tokenId, now);
    owner.lastUsedAt = now;
  }
  return callerOf(owner);
}

/**
 * The caller behind a live token, by the token's id (undefined once it is revoked, expired or
 * its user gone): work done later on a caller's behalf, such as an invite job's rows, runs with
 * the token's current rights.
 */
export async function callerOfToken(q: Queryable, tokenId: string, now: Date): Promise<Caller | undefined> {
  const owner = await tokenQueries(q).ownerById(tokenId, now);
  return owner && callerOf(owner);
}

function callerOf(owner: TokenOwner): Caller {
  const orgRoles = new Map<string, string[]>();
  let instanceRoles: string[] = [];
  for (const m of owner.memberships) {
    if (m.orgId === INSTANCE_SCOPE) instanceRoles = m.roles;
    else orgRoles.set(m.orgId, m.roles);
  }
  return { userId: owner.userId, orgId: owner.orgId, tokenId: owner.tokenId, instanceRoles, orgRoles };
}
