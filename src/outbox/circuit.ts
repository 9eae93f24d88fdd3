import { backoffMs } from "./backoff.ts";

export interface CircuitOptions {
  /** Consecutive "provider unavailable" failures that open the circuit. */
  threshold: number;
  /** Wait before the first probe; it doubles (with jitter) per failed probe… */
  probeMs: number;
  /** …up to this. */
  probeMaxMs: number;
  random?: () => number;
}

/** What changed, for the worker to log, count and persist once per change. */
export type CircuitChange = "opened" | "closed" | undefined;

/**
 * A worker's view of its mail provider. Closed: sends go out freely. After `threshold`
 * consecutive failures that say the provider itself is down (no connection, timeout, SMTP 421,
 * webhook 5xx) it opens: the worker stops claiming and only sends one probe message now and
 * then, on a capped exponential schedule. Any answer from the provider — a send accepted, or
 * even refused for that message — closes it again. Pure state, the clock passed in.
 */
export class Circuit {
  state: "closed" | "open" = "closed";
  /** Consecutive unavailable failures while closed; failed probes while open. */
  failures = 0;
  openedAt: Date | undefined;
  nextProbeAt = 0;
  probing = false;
  lastError: string | undefined;
  readonly #o: CircuitOptions;

  constructor(options: CircuitOptions) {
    this.#o = options;
  }

  /** The provider answered (a send accepted or refused on its merits). */
  answered(): CircuitChange {
    this.probing = false;
    this.failures = 0;
    if (this.state === "closed") return undefined;
    return this.close();
  }

  /** The provider did not answer. `probe`: the failed send was this circuit's probe. */
  unavailable(now: Date, error: string, probe: boolean): CircuitChange {
    this.lastError = error;
    if (this.state === "open") {
      // Sends that were in flight when it opened fail late: only probes move the schedule.
      if (probe) {
        this.failures++;
        this.probing = false;
        this.nextProbeAt = now.getTime() + this.#delay();
      }
      return undefined;
    }
    if (++this.failures < this.#o.threshold) return undefined;
    this.state = "open";
    this.openedAt = now;
    this.failures = 0;
    this.nextProbeAt = now.getTime() + this.#delay();
    return "opened";
  }

  /** Closes without a probe of its own (another process's probe succeeded; nothing to probe with). */
  close(): CircuitChange {
    if (this.state === "closed") return undefined;
    this.state = "closed";
    this.failures = 0;
    this.probing = false;
    this.openedAt = undefined;
    return "closed";
  }

  /** Open, no probe out, and its time has come. */
  probeDue(now: Date): boolean {
    return this.state === "open" && !this.probing && now.getTime() >= this.nextProbeAt;
  }

  #delay(): number {
    return backoffMs(this.failures + 1, this.#o.probeMs, this.#o.probeMaxMs, this.#o.random);
  }
}
