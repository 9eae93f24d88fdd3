import { readFileSync } from "node:fs";
import path from "node:path";
import { memoryMiB, processTree } from "./proc-stats.ts";

/** The embedded PostgreSQL server's memory while a step ran. */
export interface ServerMemory {
  /** Highest sum of the proportional set size (PSS) of the postmaster and its backends. */
  peakPssMiB: number;
  /** Highest sum of their RSS (counts shared buffers once per process that touched them). */
  peakRssSumMiB: number;
  processes: number;
}

/** The postmaster of the embedded server in `<data dir>/pg`. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(
      readFileSync(path.join(dataDir, "pg", "data", "postmaster.pid"), "utf8").split("\n")[0],
    );
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function pssMiB(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(/^Pss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Samples the server's memory every 500 ms (reading smaps is not free: less often than the CPU
 * sampler) until `stop()`.
 */
export function sampleServerMemory(dataDir: string): { stop(): ServerMemory } {
  const out: ServerMemory = { peakPssMiB: 0, peakRssSumMiB: 0, processes: 0 };
  const read = () => {
    const pm = postmasterPid(dataDir);
    if (!pm) return;
    const pids = processTree(pm);
    let pss = 0;
    let rss = 0;
    for (const p of pids) {
      pss += pssMiB(p);
      rss += memoryMiB(p).rss;
    }
    out.peakPssMiB = Math.max(out.peakPssMiB, pss);
    out.peakRssSumMiB = Math.max(out.peakRssSumMiB, rss);
    out.processes = Math.max(out.processes, pids.length);
  };
  read();
  const timer = setInterval(read, 500);
  return {
    stop() {
      clearInterval(timer);
      read();
      return out;
    },
  };
}
