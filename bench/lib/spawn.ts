import { type ChildProcess, spawn } from "node:child_process";

/** A server process of the benchmark (Usher, a ceiling, the peer), started and watched. */
export interface Server {
  name: string;
  pid: number;
  baseUrl: string;
  child: ChildProcess;
  /** Milliseconds from spawn until its ready URL answered 200. */
  readyMs: number;
  /** `performance.now()` when it was spawned (to place its CPU profile's samples in time). */
  spawnedAt: number;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Server>();

/** Every server still running (for the clean-up on interrupt). */
export function runningServers(): Server[] {
  return [...running];
}

/**
 * Starts `node <args>` with only the given environment (plus PATH) and waits until
 * `GET <baseUrl><readyPath>` answers 200, polling every 20 ms, for at most `timeoutMs`.
 */
export async function startServer(o: {
  name: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  readyPath?: string;
  timeoutMs?: number;
}): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, o.args, {
    env: { PATH: process.env.PATH ?? "", ...o.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${o.port}`;
  const deadline = started + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${o.name} exited while starting:\n${output}`);
    try {
      const res = await fetch(baseUrl + (o.readyPath ?? "/readyz"), { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${o.name} was not ready within ${o.timeoutMs ?? 60_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const server: Server = {
    name: o.name,
    pid: child.pid as number,
    baseUrl,
    child,
    readyMs: performance.now() - started,
    spawnedAt: started,
    output: () => output,
    async stop(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(server);
    },
  };
  running.add(server);
  return server;
}
