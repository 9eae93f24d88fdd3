import { type ChildProcess, spawn } from "node:child_process";

/** A Usher started as its own OS process with `usher start`, as an operator would. */
export interface UsherProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Stops it gracefully (SIGTERM) and waits for the exit. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL) and waits for the exit. */
  kill(): Promise<void>;
  output(): string;
}

/** Every Usher this test process started and that still runs. */
const running = new Set<ChildProcess>();
// A test file that times out ends without its `finally` blocks: its Ushers (and through their
// guardians the embedded servers they started) must not outlive it.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts `bin/usher.js start [args]` with the given environment and waits until `/readyz`
 * answers.
 */
export async function spawnUsher(
  port: number,
  env: Record<string, string>,
  args: string[] = [],
): Promise<UsherProcess> {
  const child = spawn(process.execPath, ["bin/usher.js", "start", ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      USHER_PORT: String(port),
      USHER_HOST: "127.0.0.1",
      USHER_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  // Generous: on a loaded 2-core machine a start (compile, database, migrations) takes a while.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`usher exited during start: ${output}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`usher did not become ready: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
