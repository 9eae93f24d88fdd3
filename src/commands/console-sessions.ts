import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { uuidv7 } from "../domain/ids.ts";
import { hashPassword, verifyPassword } from "../domain/passwords.ts";
import { type BucketRule, refilled, secondsUntilToken } from "../domain/token-bucket.ts";
import { hashToken } from "../domain/tokens.ts";
import { UsherError } from "../errors/usher-error.ts";
import { type ConsoleSessionRow, consoleSessionQueries } from "../queries/console-sessions.ts";
import { throttleQueries } from "../queries/throttle.ts";
import type { CommandDeps } from "./deps.ts";

/** Sign-in attempts one client address may make: 10 at once, then one every 30 s. */
export const SIGN_INS_PER_ADDRESS: BucketRule = { burst: 10, perSecond: 1 / 30 };
/** Sign-in attempts for one login name, whoever makes them: 5, then one every 2 minutes. */
export const SIGN_INS_PER_NAME: BucketRule = { burst: 5, perSecond: 1 / 120 };

/** A session just made: the token goes into the cookie and nowhere else. */
export interface NewConsoleSession {
  token: string;
  userId: string;
  orgId: string;
  expiresAt: Date;
}

// A hash verified when no account matches, so that an unknown name costs what a known one does.
let decoy: Promise<string> | undefined;

/**
 * Signs a person in: throttled per client address and per login name (both taken whether or
 * not the account exists), then one password verification — against the account's hash, or a
 * decoy hash when there is no such console account — and one answer for every failure, so
 * neither the answer nor its time tells whether an address exists.
 */
export async function signIn(
  deps: CommandDeps,
  input: { loginName: string; password: string; clientAddress: string },
): Promise<NewConsoleSession> {
  const name = input.loginName.trim();
  await throttle(deps, `console:addr:${input.clientAddress}`, SIGN_INS_PER_ADDRESS);
  await throttle(deps, `console:name:${digest(name.toLowerCase())}`, SIGN_INS_PER_NAME);
  const account = await consoleSessionQueries(deps.db).account(name);
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  const ok = await verifyPassword(input.password, account?.passwordHash ?? (await decoy));
  if (!account || !ok)
    throw new UsherError({
      code: Code.Unauthenticated,
      id: "CONSOLE-SIGNIN",
      key: "Errors.Console.SignIn.Invalid",
      details: { reason: "invalid_credentials" },
    });
  const at = deps.now();
  const token = `usher_console_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(at.getTime() + deps.config.consoleSessionTtl);
  await consoleSessionQueries(deps.db).insert({
    id: uuidv7(at.getTime()),
    orgId: account.orgId,
    userId: account.userId,
    tokenHash: hashToken(token),
    at,
    expiresAt,
  });
  return { token, userId: account.userId, orgId: account.orgId, expiresAt };
}

/**
 * The live session of a cookie's token: not revoked, before its absolute end, and used within
 * the idle timeout (an idle session is ended here). Undefined for anything else.
 */
export async function liveSession(deps: CommandDeps, token: string): Promise<ConsoleSessionRow | undefined> {
  const now = deps.now();
  const q = consoleSessionQueries(deps.db);
  const row = await q.live(hashToken(token), now);
  if (!row) return undefined;
  const lastUsed = (row.lastUsedAt ?? row.createdAt).getTime();
  if (now.getTime() - lastUsed > deps.config.consoleIdleTimeout) {
    await q.end(row.tokenId, now);
    return undefined;
  }
  return row;
}

/** Signs out: the session's token stops working at once, in every process. */
export async function signOut(deps: CommandDeps, token: string): Promise<void> {
  const row = await consoleSessionQueries(deps.db).live(hashToken(token), deps.now());
  if (row) await consoleSessionQueries(deps.db).end(row.tokenId, deps.now());
}

/**
 * The anti-CSRF token of a session: an HMAC of the session's own secret, so it needs no
 * storage, and only a page that can read same-origin answers (the console) can learn it.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac("sha256", sessionToken).update("usher-console-csrf").digest("base64url");
}

/** Whether a presented anti-CSRF token belongs to the session (constant time). */
export function csrfMatches(sessionToken: string, presented: string | null): boolean {
  if (!presented) return false;
  const want = Buffer.from(csrfTokenOf(sessionToken));
  const got = Buffer.from(presented);
  return want.length === got.length && timingSafeEqual(want, got);
}

function digest(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("base64url");
}

async function throttle(deps: CommandDeps, key: string, rule: BucketRule): Promise<void> {
  if (!deps.config.throttleEnabled) return;
  const q = throttleQueries(deps.db);
  const now = deps.now();
  if (await q.take(key, rule, now)) return;
  const state = await q.state(key);
  const tokens = state ? refilled(rule, state.tokens, now.getTime() - state.updatedAt.getTime()) : 0;
  throw new UsherError({
    code: Code.ResourceExhausted,
    id: "CONSOLE-THR01",
    key: "Errors.Console.SignIn.Throttled",
    details: { retry_after_seconds: secondsUntilToken(rule, tokens) },
  });
}
