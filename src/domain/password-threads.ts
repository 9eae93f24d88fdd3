import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** What a password thread is asked to do; each job is a call of hash-wasm's function of that name. */
export type PasswordJob =
  | { fn: "argon2id"; options: Record<string, unknown> }
  | { fn: "argon2Verify" | "bcryptVerify"; options: { password: string; hash: string } };

// The thread's code, run as CommonJS from a string so the same code serves the compiled dist/
// and the TypeScript sources (a worker started from a .ts file would need the TypeScript loader
// in every thread). hash-wasm is resolved by the main thread and passed in as a path.
const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const hashWasm = require(workerData.hashWasm);
parentPort.on("message", async (job) => {
  try {
    parentPort.postMessage({ ok: true, value: await hashWasm[job.fn](job.options) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface Pending {
  job: PasswordJob;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  current: Pending | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

/** How many password threads a pool may run, and how long an idle one lives. */
export interface PasswordThreadOptions {
  threads?: number;
  idleMs?: number;
}

/**
 * A small pool of worker threads for argon2id and bcrypt. Hashing a password costs ~50–100 ms of
 * CPU and ~19 MiB of Wasm memory: on the event loop it would stall every other request for that
 * long, and concurrent hashes would each hold their own memory until the next full GC (hundreds
 * of MiB under a burst of sign-ups). Here at most `threads` hashes run at once, each on its own
 * thread; the rest wait in order. Threads start when needed and end after `idleMs` idle, so an
 * idle process holds none; a thread that dies fails only its own job and is replaced.
 */
export class PasswordThreads {
  private readonly threads = new Set<Thread>();
  private readonly idle: Thread[] = [];
  private readonly queue: Pending[] = [];
  private readonly limit: number;
  private readonly idleMs: number;
  private readonly hashWasm = createRequire(import.meta.url).resolve("hash-wasm");

  constructor(options: PasswordThreadOptions = {}) {
    this.limit = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
    this.idleMs = options.idleMs ?? 10_000;
  }

  /** Runs one job on a password thread; resolves with hash-wasm's answer. */
  run<T>(job: PasswordJob): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Threads alive now (busy or idle). */
  get size(): number {
    return this.threads.size;
  }

  /** Ends every thread; jobs still running or waiting fail. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(new Error("password threads closed"));
    await Promise.all([...this.threads].map((t) => this.end(t)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.idle.pop() ?? (this.threads.size < this.limit ? this.start() : undefined);
      if (!thread) return;
      clearTimeout(thread.idleTimer);
      const pending = this.queue.shift() as Pending;
      thread.current = pending;
      thread.worker.ref();
      thread.worker.postMessage(pending.job);
    }
  }

  private start(): Thread {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { hashWasm: this.hashWasm } });
    const thread: Thread = { worker, current: undefined, idleTimer: undefined };
    this.threads.add(thread);
    worker.on("message", (answer: { ok: boolean; value?: unknown; message?: string }) => {
      const pending = thread.current;
      thread.current = undefined;
      if (answer.ok) pending?.resolve(answer.value);
      else pending?.reject(new Error(answer.message));
      this.release(thread);
    });
    worker.on("error", (error) => this.lost(thread, error));
    worker.on("exit", (code) => this.lost(thread, new Error(`password thread exited (${code})`)));
    return thread;
  }

  private release(thread: Thread): void {
    if (!this.threads.has(thread)) return;
    // Idle threads must not keep the process alive; a busy one must (its caller awaits it).
    thread.worker.unref();
    this.idle.push(thread);
    thread.idleTimer = setTimeout(() => void this.end(thread), this.idleMs).unref();
    this.dispatch();
  }

  private lost(thread: Thread, error: Error): void {
    if (!this.threads.delete(thread)) return;
    clearTimeout(thread.idleTimer);
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
    thread.current?.reject(error);
    thread.current = undefined;
    this.dispatch();
  }

  private async end(thread: Thread): Promise<void> {
    this.lost(thread, new Error("password threads closed"));
    await thread.worker.terminate();
  }
}
