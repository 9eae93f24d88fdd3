import type { Queryable } from "../db/types.ts";
import type { CodeKind, StoredCode } from "../domain/code-kind.ts";
import type { User } from "../domain/user.ts";
import { userQueries } from "../queries/users.ts";

/**
 * The human user with this id in any organization, row-locked until the transaction ends so
 * commands on one user serialise. Machine users count as not found for the human-only calls
 * (spec §4.3, last column).
 */
export async function lockHuman(tx: Queryable, id: string): Promise<User | undefined> {
  const user = await userQueries(tx).lockById(id);
  return user?.type === "human" ? user : undefined;
}

/** As `lockHuman`, with the user's stored code of a kind read in the same round trip. */
export async function lockHumanWithCode(
  tx: Queryable,
  id: string,
  kind: CodeKind,
): Promise<{ user: User; code?: StoredCode } | undefined> {
  const found = await userQueries(tx).lockWithCode(id, kind);
  return found?.user.type === "human" ? found : undefined;
}
