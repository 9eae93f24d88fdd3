import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hashToken, newToken } from "../domain/tokens.ts";
import { newMachineUser, UserState } from "../domain/user.ts";
import { type ApiKeyRow, apiKeyQueries } from "../queries/api-keys.ts";
import { appendEvents, type NewEvent } from "../queries/events.ts";
import { putMember } from "../queries/members.ts";
import { tokenQueries } from "../queries/tokens.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { userQueries } from "../queries/users.ts";
import { requireGrant } from "./credential-guard.ts";
import type { CommandDeps } from "./deps.ts";
import { writeUserEvents } from "./user-events.ts";

/** The tenant API's roles and the ZITADEL roles they stand for. */
export const KEY_ROLES = {
  admin: "ORG_OWNER",
  user_manager: "ORG_USER_MANAGER",
  viewer: "ORG_USER_VIEWER",
} as const;
export type KeyRole = keyof typeof KEY_ROLES;

/**
 * Creates an API key of a tenant: a service account with the key's roles in the tenant and
 * one token, which is returned here once and stored only as a hash. Needs `org.member.write`
 * (granting roles is the tenant owner's business) and every permission the key's roles give
 * (`AUTHZ-Esc4lt`).
 */
export async function createApiKey(
  tx: Queryable,
  deps: CommandDeps,
  caller: Caller,
  orgId: string,
  input: { name: string; roles: KeyRole[]; expiresAt?: Date | undefined },
): Promise<{ key: ApiKeyRow; rawKey: string }> {
  deps.authz.require(caller, "org.member.write", { orgId }, "AUTH-AWfge");
  const at = deps.now();
  const id = uuidv7(at.getTime());
  const userId = uuidv7(at.getTime());
  const tokenId = uuidv7(at.getTime());
  const rawKey = newToken();
  const roles = input.roles.map((r) => KEY_ROLES[r]);
  requireGrant(deps, caller, { userId, orgId }, orgId, roles);
  await userQueries(tx).insert(
    newMachineUser({ orgId, id: userId, username: `api-key-${id}`, name: input.name, sequence: 2, at }),
  );
  await putMember(tx, orgId, userId, roles);
  await tx.query(
    "insert into tokens (id, org_id, user_id, token_hash, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)",
    [tokenId, orgId, userId, hashToken(rawKey), at, input.expiresAt ?? null],
  );
  await apiKeyQueries(tx).insert({ orgId, id, userId, tokenId, name: input.name, roles: input.roles, at });
  await appendEvents(
    tx,
    { orgId, aggregateType: "user", aggregateId: userId, lastSequence: 2, actor: caller.userId, at },
    [
      { type: "user.machine.added", payload: { userName: `api-key-${id}`, name: input.name } },
      {
        type: "user.personal.access.token.added",
        payload: { tokenId, expiration: input.expiresAt?.toISOString() },
      },
    ],
  );
  const key = await apiKeyQueries(tx).get(orgId, id);
  if (!key) throw new Error("api key vanished after creation");
  return { key, rawKey };
}

/**
 * Revokes a key and everything its service account can authenticate with: every live token of
 * the account (the key's and any personal access token minted for it) is revoked and the
 * account is deactivated, so no token of it authenticates again (`tokens.ownerOf` serves only
 * active users) and nothing minted later does either. False when the tenant has no such key.
 */
export async function revokeApiKey(
  tx: Queryable,
  deps: CommandDeps,
  caller: Caller,
  orgId: string,
  id: string,
): Promise<boolean> {
  deps.authz.require(caller, "org.member.delete", { orgId }, "AUTH-AWfge");
  const key = await apiKeyQueries(tx).get(orgId, id);
  if (!key) return false;
  const account = await userQueries(tx).lockById(key.user_id);
  if (!account) return true;
  const at = deps.now();
  const revoked = await tokenQueries(tx).revokeAllOf(account.orgId, account.id, at);
  const events: NewEvent[] = revoked.map((tokenId) => ({
    type: "user.personal.access.token.removed",
    payload: { tokenId },
  }));
  if (account.state !== UserState.Inactive) {
    await userUpdates(tx).apply(account.orgId, account.id, { state: UserState.Inactive });
    events.push({ type: "user.deactivated" });
  }
  await writeUserEvents(tx, account, caller.userId, at, events);
  return true;
}
