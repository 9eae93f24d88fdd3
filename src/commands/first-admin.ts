import type { Queryable } from "../db/types.ts";
import { generateCode, hashCode } from "../domain/codes.ts";
import { uuidv7 } from "../domain/ids.ts";
import { type User, UserState } from "../domain/user.ts";
import { codeQueries } from "../queries/codes.ts";
import { appendUserEvents } from "../queries/events.ts";
import { INSTANCE_SCOPE, putMember } from "../queries/members.ts";
import { userQueries } from "../queries/users.ts";

/** The first human admin and the one link that lets them set their password. */
export interface FirstAdmin {
  userId: string;
  /** Usher's own initialization page with the code: printed once, never stored. */
  initLink: string;
}

/**
 * Creates the first human admin of a new instance, in the bootstrap's transaction: a human user
 * (`email` as username and address) with `IAM_OWNER`, in state INITIAL, and an initialization
 * code that is returned instead of mailed — Usher onboards its own first user through the same
 * hosted page (`/ui/login/user/init`) and code check as everyone else. Only the code's keyed
 * hash is stored.
 */
export async function createFirstAdmin(
  tx: Queryable,
  o: { orgId: string; email: string; codeHmac: Buffer; initCodeTtl: number; externalUrl: string; at: Date },
): Promise<FirstAdmin> {
  const at = o.at;
  const email = o.email.trim().toLowerCase();
  const user: User = {
    orgId: o.orgId,
    id: uuidv7(at.getTime()),
    type: "human",
    state: UserState.Initial,
    username: email,
    givenName: "Usher",
    familyName: "Admin",
    nickName: "",
    displayName: "Usher admin",
    preferredLanguage: "en",
    gender: 0,
    email,
    emailVerified: false,
    phone: "",
    phoneVerified: false,
    passwordHash: null,
    passwordChangeRequired: false,
    passwordChangedAt: null,
    sequence: 0,
    createdAt: at,
    updatedAt: at,
  };
  await userQueries(tx).insert(user);
  await putMember(tx, INSTANCE_SCOPE, user.id, ["IAM_OWNER"]);
  const code = generateCode(6);
  const expiresAt = new Date(at.getTime() + o.initCodeTtl);
  await codeQueries(tx).replace(o.orgId, user.id, {
    kind: "init",
    codeHash: hashCode(o.codeHmac, code),
    createdAt: at,
    expiresAt,
    failedAttempts: 0,
    codeReturned: true,
    urlTemplate: "",
    applicationName: "",
    authRequestId: "",
    email,
  });
  await appendUserEvents(tx, { orgId: o.orgId, userId: user.id, actor: "usher-setup", at }, [
    {
      type: "user.human.added",
      payload: { userName: email, firstName: "Usher", lastName: "Admin", displayName: "Usher admin", email },
    },
    {
      type: "user.human.initialization.code.added",
      payload: { expiry: o.initCodeTtl * 1_000_000, authRequestID: "" },
    },
  ]);
  const q = new URLSearchParams({ userID: user.id, code, orgID: o.orgId });
  return { userId: user.id, initLink: `${o.externalUrl}/ui/login/user/init?${q}` };
}
