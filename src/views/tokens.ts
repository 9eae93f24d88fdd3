import type { Authorizer } from "../authz/authorizer.ts";
import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import type { Page } from "../queries/search.ts";
import { type PatView, tokenListQueries } from "../queries/tokens-list.ts";

/**
 * v1 ListPersonalAccessTokens: a user's tokens in the context organization (a user of another
 * organization simply has none there, as in ZITADEL), if the caller may `user.token.read`.
 */
export async function listTokensForCaller(
  q: Queryable,
  authz: Authorizer,
  caller: Caller,
  orgId: string,
  userId: string,
  page: Page,
): Promise<{ total: number; tokens: PatView[] }> {
  authz.require(caller, "user.token.read", { orgId, userId }, "AUTH-5mWD2");
  return tokenListQueries(q).byUser(orgId, userId, page);
}
