import type { Db } from "../db/types.ts";
import type { TokenOwner } from "../queries/tokens.ts";

/** The channel the triggers of migration 0007 announce auth changes on. */
export const AUTH_CHANNEL = "usher_auth";

const MAX_ENTRIES = 10_000;

/**
 * Token → owner answers kept per process, so an authenticated call needs no round trip of its
 * own. Sound because every committed write that could change an answer (a token revoked or
 * removed, a membership, a user's state, a user removed) is announced by a trigger: to this
 * process before the writing call returns, to the others by NOTIFY at commit. An answer loaded
 * while a change was announced is not kept; nothing is served while other processes cannot be
 * heard; an entry lives at most `ttlMs` and never past its token's expiry. Unknown tokens are
 * never kept.
 */
export class CallerCache {
  readonly #entries = new Map<string, { owner: TokenOwner; until: number }>();
  readonly #ttlMs: number;
  #generation = 0;
  #live = false;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** Starts hearing changes; until then every lookup goes to the database. */
  watch(db: Db): Promise<() => Promise<void>> {
    return db.listen(
      AUTH_CHANNEL,
      () => this.#forget(),
      (live) => {
        this.#live = live;
        this.#forget();
      },
    );
  }

  /** The owner of a token (by hash), from the cache or else from `load`. */
  async ownerOf(
    tokenHash: string,
    now: Date,
    load: () => Promise<TokenOwner | undefined>,
  ): Promise<TokenOwner | undefined> {
    const at = now.getTime();
    const hit = this.#live ? this.#entries.get(tokenHash) : undefined;
    if (hit && hit.until > at && (hit.owner.expiresAt === null || hit.owner.expiresAt.getTime() > at)) {
      return hit.owner;
    }
    if (hit) this.#entries.delete(tokenHash);
    const generation = this.#generation;
    const owner = await load();
    if (owner && this.#live && this.#ttlMs > 0 && generation === this.#generation) {
      if (this.#entries.size >= MAX_ENTRIES)
        this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(tokenHash, { owner, until: at + this.#ttlMs });
    }
    return owner;
  }

  #forget(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
