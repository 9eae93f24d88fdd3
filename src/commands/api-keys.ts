import type { Caller } from "../authz/caller.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hashToken, newToken } from "../domain/tokens.ts";
import { newMachineUser } from "../domain/user.ts";
import { type ApiKeyRow, apiKeyQueries } from "../queries/api-keys.ts";
import { appendEvents } from "../queries/events.ts";
import { putMember } from "../queries/members.ts";
import { userQueries } from "../queries/users.ts";
import type { CommandDeps } from "./deps.ts";

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
 * (granting roles is the tenant owner's business).
 */
export async function createApiKey(
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
  await deps.db.transaction(async (tx) => {
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
  });
  const key = await apiKeyQueries(deps.db).get(orgId, id);
  if (!key) throw new Error("api key vanished after creation");
  return { key, rawKey };
}

/** Revokes a key: its token stops authenticating at once. False when the tenant has no such key. */
export async function revokeApiKey(
  deps: CommandDeps,
  caller: Caller,
  orgId: string,
  id: string,
): Promise<boolean> {
  deps.authz.require(caller, "org.member.delete", { orgId }, "AUTH-AWfge");
  return deps.db.transaction(async (tx) => {
    const key = await apiKeyQueries(tx).get(orgId, id);
    if (!key) return false;
    const at = deps.now();
    await tx.query("update tokens set revoked_at = $2 where id = $1 and revoked_at is null", [
      key.token_id,
      at,
    ]);
    const seq = await tx.query<{ sequence: number }>(
      "update users set sequence = sequence + 1, updated_at = $3 where org_id = $1 and id = $2 returning sequence",
      [orgId, key.user_id, at],
    );
    const lastSequence = seq[0]?.sequence;
    if (lastSequence) {
      await appendEvents(
        tx,
        { orgId, aggregateType: "user", aggregateId: key.user_id, lastSequence, actor: caller.userId, at },
        [{ type: "user.personal.access.token.removed", payload: { tokenId: key.token_id } }],
      );
    }
    return true;
  });
}
