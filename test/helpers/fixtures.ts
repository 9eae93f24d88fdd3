import type { Db } from "../../src/db/types.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { hashToken, newToken } from "../../src/domain/tokens.ts";
import { UserState } from "../../src/domain/user.ts";
import { putMember } from "../../src/queries/members.ts";
import { orgQueries } from "../../src/queries/orgs.ts";
import { tokenQueries } from "../../src/queries/tokens.ts";
import { userQueries } from "../../src/queries/users.ts";
import { unique } from "./test-app.ts";

/**
 * Test data written straight to the database: organizations, users, role memberships and
 * tokens in any state (revoked, expired) that the API would need many calls to reach.
 */
export function fixtures(db: Db) {
  return {
    async org(name = unique("org")): Promise<string> {
      const id = uuidv7();
      await orgQueries(db).insert({ id, name, primaryDomain: `${name}.test` }, new Date());
      return id;
    },

    async user(
      orgId: string,
      type: "human" | "machine" = "human",
    ): Promise<{ userId: string; email: string }> {
      const id = uuidv7();
      const email = type === "human" ? `${unique("fx")}@example.com` : "";
      const at = new Date();
      await userQueries(db).insert({
        orgId,
        id,
        type,
        state: UserState.Active,
        username: type === "human" ? email : unique("machine"),
        givenName: type === "human" ? "Fix" : "",
        familyName: type === "human" ? "Ture" : "",
        nickName: "",
        displayName: "Fix Ture",
        preferredLanguage: "en",
        gender: 0,
        email,
        emailVerified: false,
        phone: "",
        phoneVerified: false,
        passwordHash: null,
        passwordChangeRequired: false,
        sequence: 1,
        createdAt: at,
        updatedAt: at,
      });
      await db.query(
        "insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, created_at) values ($1, 'user', $2, 1, $3, '{}', $4)",
        [orgId, id, type === "human" ? "user.human.added" : "user.machine.added", at],
      );
      return { userId: id, email };
    },

    async grant(orgId: string, userId: string, roles: string[]): Promise<void> {
      await putMember(db, orgId, userId, roles);
    },

    /** A token for the user; `state` makes it revoked or expired. */
    async token(
      orgId: string,
      userId: string,
      state: "live" | "revoked" | "expired" = "live",
    ): Promise<string> {
      const token = newToken();
      const tokenId = uuidv7();
      await tokenQueries(db).insert({
        id: tokenId,
        orgId,
        userId,
        tokenHash: hashToken(token),
        expiresAt: state === "expired" ? new Date(Date.now() - 1000) : null,
        at: new Date(),
      });
      if (state === "revoked")
        await db.query("update tokens set revoked_at = now() where id = $1", [tokenId]);
      return token;
    },
  };
}
