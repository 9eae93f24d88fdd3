import type { Queryable } from "../db/types.ts";
import type { UserState } from "../domain/user.ts";

/** Columns a command may change on a user row; only the given ones are written. */
export interface UserPatch {
  state?: UserState;
  username?: string;
  givenName?: string;
  familyName?: string;
  nickName?: string;
  displayName?: string;
  preferredLanguage?: string;
  gender?: number;
  email?: string;
  emailVerified?: boolean;
  passwordHash?: string;
  passwordChangeRequired?: boolean;
  passwordChangedAt?: Date;
}

const COLUMNS: Readonly<Record<keyof UserPatch, string>> = {
  state: "state",
  username: "username",
  givenName: "given_name",
  familyName: "family_name",
  nickName: "nick_name",
  displayName: "display_name",
  preferredLanguage: "preferred_language",
  gender: "gender",
  email: "email",
  emailVerified: "email_verified",
  passwordHash: "password_hash",
  passwordChangeRequired: "password_change_required",
  passwordChangedAt: "password_changed_at",
};

/** SQL that changes or removes user rows; run under the lock `userQueries(tx).lockById` took. */
export function userUpdates(q: Queryable) {
  return {
    /** Writes the patched columns (nothing when the patch is empty). */
    async apply(orgId: string, id: string, patch: UserPatch): Promise<void> {
      const sets: string[] = [];
      const values: unknown[] = [orgId, id];
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        values.push(value);
        sets.push(`${COLUMNS[key as keyof UserPatch]} = $${values.length}`);
      }
      if (sets.length === 0) return;
      await q.query(`update users set ${sets.join(", ")} where org_id = $1 and id = $2`, values);
    },

    /**
     * Whether another user already has this username, ignoring case, where the user's own
     * `UsernameScope` makes it count: in its organization, and instance-wide among users of the
     * instance scope when it is one of them.
     */
    async usernameTakenByOther(username: string, id: string): Promise<boolean> {
      const rows = await q.query(
        `select 1 from users o join users me on me.id = $2
          where lower(o.username) = lower($1) and o.id <> $2
            and (o.org_id = me.org_id or (me.username_global and o.username_global))`,
        [username, id],
      );
      return rows.length > 0;
    },

    /**
     * Removes the user row (its codes and tokens go with it by cascade) and its role
     * memberships. Its username is free again; its events stay as the audit trail.
     */
    async remove(orgId: string, id: string): Promise<void> {
      await q.query("delete from members where user_id = $1", [id]);
      await q.query("delete from users where org_id = $1 and id = $2", [orgId, id]);
    },
  };
}
