/** What one load step measured on the client side. */
export interface LoadResult {
  /** Seconds the step really ran (less than asked when its supply of targets ran out). */
  seconds: number;
  /** Answers with a 2xx status (or a successful RPC). */
  ok: number;
  /** Failed answers: non-2xx statuses, RPC errors, connection errors and timeouts. */
  errors: number;
  /** Successful answers per second. */
  rps: number;
  /** Latency percentiles of every answer, in milliseconds. */
  p50: number;
  p99: number;
  /** Up to three error answers, for the reader. */
  errorSamples: string[];
}

/** Latencies (ms) of a step, kept in a growable typed array. */
export class Latencies {
  #values = new Float64Array(16_384);
  #n = 0;

  add(ms: number): void {
    if (this.#n === this.#values.length) {
      const next = new Float64Array(this.#values.length * 2);
      next.set(this.#values);
      this.#values = next;
    }
    this.#values[this.#n++] = ms;
  }

  /** The p-th percentile (0–100), nearest-rank. */
  percentile(p: number): number {
    if (this.#n === 0) return Number.NaN;
    const sorted = this.#values.slice(0, this.#n).sort();
    const rank = Math.min(this.#n - 1, Math.max(0, Math.ceil((p / 100) * this.#n) - 1));
    return sorted[rank] ?? Number.NaN;
  }
}

/** Keeps the first few error descriptions of a step. */
export function sampleError(samples: string[], text: string): void {
  if (samples.length < 3) samples.push(text.slice(0, 300));
}
