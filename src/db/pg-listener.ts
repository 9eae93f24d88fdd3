import pg from "pg";

interface Subscriber {
  onNotify(): void;
  onLive?: ((live: boolean) => void) | undefined;
}

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;

/**
 * One connection LISTENing on every subscribed channel, reconnecting with backoff when it
 * breaks. While it is down other processes' NOTIFYs are missed, so subscribers hear
 * `onLive(false)`; once it is back, `onLive(true)` and `onNotify()` (anything may have changed
 * in between).
 */
export class PgListener {
  readonly #url: string;
  readonly #channels = new Map<string, Set<Subscriber>>();
  #client: pg.Client | undefined;
  #opening: Promise<void> | undefined;
  #retryMs = FIRST_RETRY_MS;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(url: string) {
    this.#url = url;
  }

  /** Listens on `channel`; the first subscription opens the connection (and throws if it cannot). */
  async subscribe(channel: string, subscriber: Subscriber): Promise<() => Promise<void>> {
    let subscribers = this.#channels.get(channel);
    const isNew = !subscribers;
    if (!subscribers) {
      subscribers = new Set();
      this.#channels.set(channel, subscribers);
    }
    subscribers.add(subscriber);
    if (!this.#client && !this.#timer) {
      this.#opening ??= this.#connect().finally(() => {
        this.#opening = undefined;
      });
      await this.#opening;
    } else if (isNew && this.#client) await this.#client.query(`listen ${pg.escapeIdentifier(channel)}`);
    subscriber.onLive?.(this.#client !== undefined);
    return async () => {
      subscribers.delete(subscriber);
      if (subscribers.size > 0) return;
      this.#channels.delete(channel);
      await this.#client?.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    // Keepalive: a connection that dies without a word is noticed, not trusted forever.
    const client = new pg.Client({ connectionString: this.#url, keepAlive: true });
    client.on("error", () => this.#lost(client));
    client.on("end", () => this.#lost(client));
    client.on("notification", (n) => {
      for (const s of this.#channels.get(n.channel) ?? []) s.onNotify();
    });
    try {
      await client.connect();
      for (const channel of this.#channels.keys())
        await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#retryMs = FIRST_RETRY_MS;
  }

  #lost(client: pg.Client): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    this.#each((s) => s.onLive?.(false));
    this.#retry();
  }

  #retry(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#connect().then(
        () => {
          if (!this.#client) return;
          this.#each((s) => {
            s.onLive?.(true);
            s.onNotify();
          });
        },
        () => {
          this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
          this.#retry();
        },
      );
    }, this.#retryMs);
    this.#timer.unref();
  }

  #each(fn: (s: Subscriber) => void): void {
    for (const subscribers of this.#channels.values()) for (const s of subscribers) fn(s);
  }
}
