import type { Queryable } from "../db/types.ts";

/** SQL over the machine-only columns of `users`. */
export function machineUserQueries(q: Queryable) {
  return {
    /** Sets a machine user's name and description (right after `userQueries.insert`). */
    async setProfile(orgId: string, userId: string, name: string, description: string): Promise<void> {
      await q.query(
        "update users set machine_name = $3, machine_description = $4 where org_id = $1 and id = $2",
        [orgId, userId, name, description],
      );
    },
  };
}
