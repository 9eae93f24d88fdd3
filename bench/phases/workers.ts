import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { measure, type StepRecord } from "../lib/measure.ts";
import { drainOutbox, startUsher } from "../lib/usher.ts";
import type { StartupRecord } from "./setup-usher.ts";
import { operations, type Pools, type UsherUnderTest } from "./usher-ops.ts";

/**
 * `usher start` against `usher start --workers 2` on the same database: resend invite over
 * REST at the highest concurrency, CPU and memory summed over the primary and its workers.
 */
export async function runWorkers(
  base: UsherUnderTest,
  databaseUrl: string,
  pools: Pools,
  connections: number,
  seconds: number,
): Promise<{ records: StepRecord[]; startup: StartupRecord[] }> {
  const resend = operations(pools, connections).find((o) => o.op === "resend-invite" && o.surface === "REST");
  if (!resend) throw new Error("no resend-invite operation");
  const records: StepRecord[] = [];
  const startup: StartupRecord[] = [];
  for (const workers of [1, 2]) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-workers-"));
    const server = await startUsher({ name: `usher-workers-${workers}`, databaseUrl, dataDir, workers });
    startup.push({ database: "postgres", kind: `--workers ${workers}`, readyMs: server.readyMs });
    try {
      const u = { ...base, server };
      // Warm-up of every worker (not recorded).
      await resend.run(u, connections, Math.min(3, seconds));
      await drainOutbox(server.baseUrl);
      records.push(
        await measure(
          {
            group: "workers",
            op: "resend-invite",
            surface: "REST",
            connections,
            note: `${workers} worker(s)`,
          },
          [server.pid],
          () => resend.run(u, connections, seconds),
        ),
      );
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { records, startup };
}
