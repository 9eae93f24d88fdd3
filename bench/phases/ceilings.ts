import { httpLoad } from "../lib/http-load.ts";
import { measure, type StepRecord } from "../lib/measure.ts";
import { withClient } from "../lib/pg-admin.ts";
import { waitIdle } from "../lib/proc-stats.ts";
import { startServer } from "../lib/spawn.ts";
import type { Targets } from "../lib/targets.ts";
import { freePort } from "../lib/usher.ts";

const CEILINGS = [
  { op: "ceiling-json", script: "bench/servers/ceiling-json.ts", env: {} },
  { op: "ceiling-db-unnamed", script: "bench/servers/ceiling-db.ts", env: { NAMED: "0" } },
  { op: "ceiling-db-named", script: "bench/servers/ceiling-db.ts", env: { NAMED: "1" } },
] as const;

/**
 * The ceilings of the stack on the same machine, database and users as Usher: a bare JSON
 * answer, and the database work of a resend with unnamed and with named statements. Each is
 * its own process, measured like Usher. Afterwards the outbox rows they queued are cancelled,
 * so no later Usher spends time delivering them.
 */
export async function runCeilings(
  databaseUrl: string,
  invited: Targets<string>,
  connections: number[],
  seconds: number,
): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (const c of CEILINGS) {
    const port = await freePort();
    const server = await startServer({
      name: c.op,
      args: ["--import", "tsx", c.script],
      env: { PORT: String(port), DATABASE_URL: databaseUrl, ...c.env },
      port,
    });
    try {
      for (const n of connections) {
        await waitIdle(server.pid);
        records.push(
          await measure({ group: "ceiling", op: c.op, surface: "HTTP", connections: n }, [server.pid], () =>
            httpLoad({
              baseUrl: server.baseUrl,
              method: "POST",
              connections: n,
              seconds,
              next: () => ({ path: `/resend/${invited.next()}`, body: "{}" }),
            }),
          ),
        );
      }
    } finally {
      await server.stop(5_000);
    }
  }
  await withClient(databaseUrl, (db) =>
    db.query(
      "update outbox set status = 'cancelled', secret = null, last_error = 'bench ceiling' where status = 'queued'",
    ),
  );
  return records;
}
