import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { httpLoad } from "../lib/http-load.ts";
import { measure, type StepRecord } from "../lib/measure.ts";
import { withClient } from "../lib/pg-admin.ts";
import { waitIdle } from "../lib/proc-stats.ts";
import { startServer } from "../lib/spawn.ts";
import { drainOutbox, freePort, startUsher } from "../lib/usher.ts";
import { operations, type Pools, type UsherUnderTest } from "./usher-ops.ts";

/** The group of the paired steps in results.json. */
export const PAIRED = "paired";

/**
 * Resend invite over REST against ceiling (b) with named statements, in alternating rounds
 * (Usher, ceiling, ceiling, Usher, …) with both servers up, so that drift on a shared machine
 * between two steps taken minutes apart does not land in their ratio. Before each round Usher's
 * outbox is drained and both processes are left to go idle; the ceiling queues its messages
 * for later, so Usher's worker never picks them up, and they are cancelled after each round.
 */
export async function runPaired(
  base: UsherUnderTest,
  databaseUrl: string,
  pools: Pools,
  connections: number,
  seconds: number,
  rounds = 3,
): Promise<StepRecord[]> {
  const resend = operations(pools, connections).find((o) => o.op === "resend-invite" && o.surface === "REST");
  if (!resend) throw new Error("no resend-invite operation");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-paired-"));
  const port = await freePort();
  const ceiling = await startServer({
    name: "ceiling-db-named",
    args: ["--import", "tsx", "bench/servers/ceiling-db.ts"],
    env: { PORT: String(port), DATABASE_URL: databaseUrl, NAMED: "1", DUE_LATER: "1" },
    port,
  });
  const cancelCeilingRows = () =>
    withClient(databaseUrl, (db) =>
      db.query(
        `update outbox set status = 'cancelled', secret = null, last_error = 'bench ceiling'
          where status = 'queued' and next_attempt_at > now() + interval '1 hour'`,
      ),
    );
  const records: StepRecord[] = [];
  let usher: Awaited<ReturnType<typeof startUsher>> | undefined;
  try {
    usher = await startUsher({ name: "usher-paired", databaseUrl, dataDir });
    const u = { ...base, server: usher };
    const steps = {
      usher: {
        op: "resend-invite",
        surface: "REST",
        pid: usher.pid,
        run: () => resend.run(u, connections, seconds),
      },
      ceiling: {
        op: "ceiling-db-named",
        surface: "HTTP",
        pid: ceiling.pid,
        run: () =>
          httpLoad({
            baseUrl: ceiling.baseUrl,
            method: "POST",
            connections,
            seconds,
            next: () => ({ path: `/resend/${pools.invited.next()}`, body: "{}" }),
          }),
      },
    };
    // Warm-up of both (not recorded).
    await steps.usher.run();
    await steps.ceiling.run();
    await cancelCeilingRows();
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? [steps.usher, steps.ceiling] : [steps.ceiling, steps.usher];
      for (const s of order) {
        await drainOutbox(usher.baseUrl);
        await waitIdle(usher.pid);
        await waitIdle(ceiling.pid);
        records.push(
          await measure(
            { group: PAIRED, op: s.op, surface: s.surface, connections, note: `round ${round}` },
            [s.pid],
            s.run,
          ),
        );
        await cancelCeilingRows();
      }
    }
  } finally {
    await usher?.stop();
    await ceiling.stop(5_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return records;
}
