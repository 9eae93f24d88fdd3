import type { CommandDeps } from "../../commands/deps.ts";
import { parseTrustedProxies } from "../../config/trusted-proxies.ts";
import { type BucketRule, refilled, secondsUntilToken } from "../../domain/token-bucket.ts";
import { throttleQueries } from "../../queries/throttle.ts";
import { clientAddress } from "../http/client-address.ts";
import type { Req } from "../http/io.ts";

/** Form posts one client address may make: 30 at once, then one more every 2 minutes. */
export const POSTS_PER_ADDRESS: BucketRule = { burst: 30, perSecond: 1 / 120 };

/** The throttle bucket of a client address (kept in the database, shared by every process). */
export function addressKey(address: string): string {
  return `ui:addr:${address}`;
}

/**
 * The client's address: the connection's peer, or what a trusted proxy says it is
 * (`trustedProxies`), so one person's junk behind a shared proxy drains only their bucket.
 */
export function pageClientAddress(deps: CommandDeps, req: Req): string {
  return clientAddress(req, parseTrustedProxies(deps.config.trustedProxies));
}

/** Code checks one code holder (a user) may get from the pages: 10, then one more every 6 minutes. */
export const CHECKS_PER_HOLDER: BucketRule = { burst: 10, perSecond: 1 / 360 };

/**
 * Takes one token from the bucket of the user a code is checked for, whichever address the
 * check comes from: the second, independent bound of the public code checks (the first is the
 * client's address). Each code's attempt limit still discards it after its wrong tries.
 */
export function takeHolderToken(deps: CommandDeps, orgId: string, userId: string): Promise<number> {
  return take(deps, `ui:holder:${orgId}:${userId}`, CHECKS_PER_HOLDER);
}

/**
 * Takes one token for a form post from the client's bucket: 0 when the post may go on, else
 * the seconds until it may be tried again. The attempt limit already bounds guesses per code;
 * this bounds how many codes and users one address can try.
 */
export function takePostToken(deps: CommandDeps, address: string): Promise<number> {
  return take(deps, addressKey(address), POSTS_PER_ADDRESS);
}

/**
 * The "send me a new one" bucket of a requested user id and page, taken whether or not the
 * user exists: one fewer than the mail throttle's burst (the first mail took one) and the
 * slower of its two refill rates. It so runs dry no later than the mail throttle of a user
 * who got one mail, and the "try again" page comes at the same moment for unknown users.
 */
export function takeResendToken(deps: CommandDeps, flow: string, userId: string): Promise<number> {
  const c = deps.config;
  if (!c.throttleEnabled) return Promise.resolve(0);
  const rule: BucketRule = {
    burst: Math.max(1, c.throttleUserBurst - 1),
    perSecond: Math.min(1000 / c.throttleUserInterval, c.throttleRecipientPerHour / 3600),
  };
  return take(deps, `ui:resend:${flow}:${userId}`, rule);
}

async function take(deps: CommandDeps, key: string, rule: BucketRule): Promise<number> {
  const q = throttleQueries(deps.db);
  const now = deps.now();
  if (await q.take(key, rule, now)) return 0;
  const state = await q.state(key);
  const tokens = state ? refilled(rule, state.tokens, now.getTime() - state.updatedAt.getTime()) : 0;
  return secondsUntilToken(rule, tokens);
}
