import cluster, { type Worker } from "node:cluster";
import os from "node:os";
import pino from "pino";
import type { Config } from "../config/load.ts";
import type { EmbeddedServer, ServerLog } from "../db/embedded/server.ts";

/** How long a worker may take to stop gracefully before it is killed. */
const STOP_GRACE_MS = 20_000;

/**
 * Reads `--workers`: a positive count, or `auto` for one worker per core. Undefined when the
 * flag is absent.
 */
export function parseWorkers(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === "auto") return os.availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256)
    throw new Error(`--workers: "${value}" is not a number of processes (1–256, or auto)`);
  return Number(value);
}

/**
 * The primary of `usher start --workers N`. It forks N workers at once and loads nothing of
 * the service itself; each worker runs a whole Usher (API, delivery worker) on the same port,
 * which node:cluster shares between them. Migrations and the first-start bootstrap run in the
 * workers under their advisory locks: the first applies them, the others then find them done.
 * A worker that dies after it was serving is replaced; one that fails while starting stops the
 * whole group (its configuration would fail again). SIGINT/SIGTERM stop every worker gracefully,
 * then the embedded database server when there is one.
 * Resolves once all workers are listening.
 */
export async function runPrimary(config: Config, count: number): Promise<void> {
  const log = pino({ level: config.logLevel, base: { service: "usher", role: "primary" } });
  // The embedded server is started here, once, before any worker: the workers find it running
  // and share it, and it stops after the last of them.
  const embedded = config.databaseUrl ? undefined : await startEmbeddedServer(config.dataDir, log);
  let stopping = false;
  const serving = new Set<Worker>();
  const fork = () => cluster.fork();
  let resolveReady: () => void = () => {};
  let rejectReady: (e: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });

  cluster.on("listening", (worker) => {
    serving.add(worker);
    if (serving.size === count) {
      log.info({ workers: count, port: config.port }, `${count} workers serving on port ${config.port}`);
      resolveReady();
    }
  });
  cluster.on("exit", (worker, code, signal) => {
    const wasServing = serving.delete(worker);
    if (stopping) return;
    if (wasServing) {
      log.warn({ pid: worker.process.pid, code, signal }, "worker died; starting another");
      fork();
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, "worker failed to start; stopping");
    rejectReady(new Error(`a worker failed to start (exit code ${code ?? signal})`));
    void stopAll(1);
  });

  async function stopAll(exitCode: number): Promise<void> {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const kill = setTimeout(() => w.process.kill("SIGKILL"), STOP_GRACE_MS);
            w.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            w.process.kill("SIGTERM");
          }),
      ),
    );
    await embedded?.stop();
    process.exit(exitCode);
  }
  const onSignal = (signal: string) => {
    if (stopping) return;
    log.info({ signal }, "stopping all workers");
    void stopAll(0);
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  for (let i = 0; i < count; i++) fork();
  await ready;
}

async function startEmbeddedServer(dataDir: string, log: ServerLog): Promise<EmbeddedServer> {
  const { EmbeddedServer } = await import("../db/embedded/server.ts");
  const server = new EmbeddedServer({ dataDir, log });
  await server.start();
  return server;
}
