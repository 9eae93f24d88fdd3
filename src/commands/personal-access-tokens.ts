import type { Queryable } from "../db/types.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hashToken, newToken } from "../domain/tokens.ts";
import { failedPrecondition, invalidArgument, notFound } from "../errors/usher-error.ts";
import { tokenQueries } from "../queries/tokens.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { writeUserEvents } from "./user-events.ts";
import { lockUserInOrg } from "./v1-scope.ts";

/** ZITADEL's end of a token without an expiration date. */
export const NO_EXPIRY = new Date("9999-12-31T23:59:59Z");

/** The scopes ZITADEL gives tokens made with v1 AddPersonalAccessToken. */
export const PAT_SCOPES = ["openid", "urn:zitadel:iam:user:metadata", "urn:zitadel:iam:user:resourceowner"];

/**
 * v1 AddPersonalAccessToken: the token is returned once and stored only as a hash. Order as
 * ZITADEL's: user id (`COMMAND-0pzb1`) → expiration not past (`DOMAIN-dv3t5`) →
 * `user.token.write` → the user exists in the context organization (`COMMAND-Dggw2`) → it is a
 * machine user (`COMMAND-Df2f1`) → the caller holds every permission of that user
 * (`AUTHZ-Esc4lt`, Usher's rule: a token can do nothing its creator may not).
 */
export async function addPersonalAccessToken(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  expirationDate: Date | undefined,
): Promise<{ tokenId: string; token: string; details: WriteDetails }> {
  if (!userId) throw invalidArgument("COMMAND-0pzb1", "Errors.User.UserIDMissing");
  const expiresAt = expirationDate ?? NO_EXPIRY;
  if (expiresAt.getTime() < deps.now().getTime())
    throw invalidArgument("DOMAIN-dv3t5", "Errors.AuthNKey.ExpireBeforeNow");
  const user = await lockUserInOrg(tx, userId, actor.orgId);
  deps.authz.require(actor.caller, "user.token.write", { orgId: actor.orgId, userId }, "AUTH-5mWD2");
  if (!user) throw failedPrecondition("COMMAND-Dggw2", "Errors.User.NotFound");
  if (user.type !== "machine") throw failedPrecondition("COMMAND-Df2f1", "Errors.User.WrongType");
  await requireCredentialOf(tx, deps, actor.caller, user);
  const at = deps.now();
  const tokenId = uuidv7(at.getTime());
  const token = newToken();
  const details = await writeUserEvents(tx, user, actor.caller.userId, at, [
    {
      type: "user.personal.access.token.added",
      payload: { tokenId, expiration: expiresAt.toISOString(), scopes: PAT_SCOPES },
    },
  ]);
  await tokenQueries(tx).insertPat({
    id: tokenId,
    orgId: user.orgId,
    userId: user.id,
    tokenHash: hashToken(token),
    expiresAt,
    scopes: PAT_SCOPES,
    sequence: details.sequence,
    at,
  });
  return { tokenId, token, details };
}

/**
 * v1 RemovePersonalAccessToken: ids given (`COMMAND-0pzb1`, `COMMAND-68xm2o`) →
 * `user.token.write` → the token exists on that user of the context organization
 * (`COMMAND-4m77G`). The token stops authenticating when the transaction commits.
 */
export async function removePersonalAccessToken(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  tokenId: string,
): Promise<WriteDetails> {
  if (!userId) throw invalidArgument("COMMAND-0pzb1", "Errors.User.UserIDMissing");
  if (!tokenId) throw invalidArgument("COMMAND-68xm2o", "Errors.IDMissing");
  const user = await lockUserInOrg(tx, userId, actor.orgId);
  deps.authz.require(actor.caller, "user.token.write", { orgId: actor.orgId, userId }, "AUTH-5mWD2");
  const tokens = tokenQueries(tx);
  if (!user || !(await tokens.patExists(user.orgId, user.id, tokenId)))
    throw notFound("COMMAND-4m77G", "Errors.User.PAT.NotFound");
  const at = deps.now();
  const details = await writeUserEvents(tx, user, actor.caller.userId, at, [
    { type: "user.personal.access.token.removed", payload: { tokenId } },
  ]);
  await tokens.revoke(tokenId, at);
  return details;
}
