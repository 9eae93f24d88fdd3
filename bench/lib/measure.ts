import type { LoadResult } from "./load-result.ts";
import { sampleUsage, type Usage } from "./proc-stats.ts";
import { type ServerMemory, sampleServerMemory } from "./server-memory.ts";

/** One measured step, as results.json keeps it. */
export interface StepRecord extends LoadResult {
  /** Which table it belongs to: usher-postgres, usher-embedded, ceiling, peer, workers, profile. */
  group: string;
  /** A stable key of the operation, e.g. `resend-invite`. */
  op: string;
  /** REST, gRPC, tenant, HTTP. */
  surface: string;
  connections: number;
  /** The server processes' CPU and memory while the step ran. */
  server: Usage;
  /** The embedded PostgreSQL server's memory (Usher on its embedded server only). */
  database?: ServerMemory | undefined;
  /** Messages still queued when the step ended (Usher only). */
  backlogAfter?: number | undefined;
  note?: string | undefined;
}

/** Runs a load step while sampling the server processes `pids` (and their children). */
export async function measure(
  meta: { group: string; op: string; surface: string; connections: number; note?: string },
  pids: readonly number[],
  load: () => Promise<LoadResult>,
  embeddedDataDir?: string,
): Promise<StepRecord> {
  const sampler = sampleUsage(pids);
  const dbSampler = embeddedDataDir ? sampleServerMemory(embeddedDataDir) : undefined;
  let result: LoadResult;
  let usage: Usage;
  let database: ServerMemory | undefined;
  try {
    result = await load();
  } finally {
    usage = sampler.stop();
    database = dbSampler?.stop();
  }
  const record: StepRecord = { ...meta, ...result, server: usage, database };
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "–");
  process.stdout.write(
    `  ${meta.group.padEnd(15)} ${`${meta.op} ${meta.surface}`.padEnd(34)} c=${String(meta.connections).padEnd(3)} ` +
      `${f(result.rps).padStart(6)}/s p50 ${f(result.p50, 1)} p99 ${f(result.p99, 1)} ms err ${result.errors} ` +
      `cpu ${f(usage.cpuCores, 2)} (${f(cpuMsPerRequest(record), 2)} ms/req) rss ${f(usage.peakRssMiB)} MiB ` +
      `busy ${f(usage.machineBusyPct)}% loadgen ${f(usage.loadgenCores, 2)}` +
      (database ? ` | server PSS ${f(database.peakPssMiB)} MiB (${database.processes} processes)` : "") +
      "\n",
  );
  for (const s of result.errorSamples.slice(0, 1)) process.stdout.write(`      first error: ${s}\n`);
  return record;
}

/** Server CPU time per successful request, in milliseconds: a figure less bent by other load. */
export function cpuMsPerRequest(s: Pick<StepRecord, "server" | "seconds" | "ok">): number {
  return s.ok > 0 ? (1000 * s.server.cpuCores * s.seconds) / s.ok : Number.NaN;
}
