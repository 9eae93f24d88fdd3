import assert from "node:assert/strict";
import { test } from "node:test";
import type { Db } from "../db/types.ts";
import type { TokenOwner } from "../queries/tokens.ts";
import { CallerCache } from "./caller-cache.ts";

function owner(expiresAt: Date | null = null): TokenOwner {
  return { tokenId: "t1", userId: "u1", orgId: "o1", lastUsedAt: null, expiresAt, memberships: [] };
}

/** A cache watching a database whose change and liveness signals the test fires by hand. */
async function watched(ttlMs = 30_000) {
  const signals: { notify: () => void; live: (up: boolean) => void } = { notify: () => {}, live: () => {} };
  const db = {
    async listen(_channel: string, onNotify: () => void, onLive?: (live: boolean) => void) {
      signals.notify = onNotify;
      signals.live = (up) => onLive?.(up);
      onLive?.(true);
      return async () => {};
    },
  } as unknown as Db;
  const cache = new CallerCache(ttlMs);
  await cache.watch(db);
  let loads = 0;
  const now = new Date("2026-01-01T00:00:00Z");
  const lookup = (at = now, answer: TokenOwner | "unknown" = owner()) =>
    cache.ownerOf("hash", at, async () => {
      loads++;
      return answer === "unknown" ? undefined : answer;
    });
  return { cache, signals, lookup, now, loads: () => loads };
}

test("a token's owner is loaded once, then served from the cache", async () => {
  const w = await watched();
  await w.lookup();
  await w.lookup();
  assert.equal(w.loads(), 1);
});

test("an announced change empties the cache", async () => {
  const w = await watched();
  await w.lookup();
  w.signals.notify();
  await w.lookup();
  assert.equal(w.loads(), 2);
});

test("an answer loaded while a change was announced is not kept", async () => {
  const w = await watched();
  let release: (o: TokenOwner) => void = () => {};
  const slow = w.cache.ownerOf("hash", w.now, () => new Promise<TokenOwner>((r) => (release = r)));
  w.signals.notify();
  release(owner());
  await slow;
  await w.lookup();
  assert.equal(w.loads(), 1, "the slow answer was dropped, so the next lookup loads");
});

test("nothing is served while other processes cannot be heard", async () => {
  const w = await watched();
  await w.lookup();
  w.signals.live(false);
  await w.lookup();
  await w.lookup();
  assert.equal(w.loads(), 3);
  w.signals.live(true);
  await w.lookup();
  await w.lookup();
  assert.equal(w.loads(), 4);
});

test("entries end with their time to live and with their token's expiry", async () => {
  const w = await watched(1_000);
  await w.lookup();
  await w.lookup(new Date(w.now.getTime() + 1_001));
  assert.equal(w.loads(), 2, "past the time to live");

  const expiring = await watched();
  const token = owner(new Date(expiring.now.getTime() + 500));
  await expiring.lookup(expiring.now, token);
  await expiring.lookup(new Date(expiring.now.getTime() + 499), token);
  assert.equal(expiring.loads(), 1);
  await expiring.lookup(new Date(expiring.now.getTime() + 500));
  assert.equal(expiring.loads(), 2, "an expired token is asked for again");
});

test("unknown tokens and a time to live of 0 are never kept", async () => {
  const w = await watched();
  await w.lookup(w.now, "unknown");
  await w.lookup(w.now, "unknown");
  assert.equal(w.loads(), 2);
  const off = await watched(0);
  await off.lookup();
  await off.lookup();
  assert.equal(off.loads(), 2);
});
