import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds a process has used so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** Resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** The process and its child processes (cluster workers), found by their parent pid. */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Watches the CPU of every process whose command name is `comm` (e.g. all the `postgres` server
 * processes of the machine's database): `stop()` gives the seconds they used since, counting
 * processes that started meanwhile from zero. One that exits before `stop()` (an autovacuum
 * worker) is left out, so the figure is a lower bound.
 */
export function watchCommand(comm: string): { stop(): number } {
  const read = () => {
    const cpu = new Map<string, number>();
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if (readFileSync(`/proc/${name}/comm`, "utf8").trim() === comm)
          cpu.set(name, cpuSeconds(Number(name)));
      } catch {
        // gone meanwhile
      }
    }
    return cpu;
  };
  const start = read();
  return {
    stop() {
      let used = 0;
      for (const [pid, cpu] of read()) used += Math.max(0, cpu - (start.get(pid) ?? 0));
      return used;
    },
  };
}

/** Busy and total jiffies of the whole machine (/proc/stat's first line). */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/** What a sampled stretch of time cost: per process CPU (in cores) and peak memory. */
export interface Usage {
  /** CPU of the watched processes together, in cores (1 = one core busy all the time). */
  cpuCores: number;
  /** Highest resident memory of any one watched process seen while sampling, MiB. */
  peakRssMiB: number;
  /** Highest resident memory of all watched processes together, MiB. */
  peakTotalRssMiB: number;
  /** How busy the whole machine was, 0–100 % of all cores. */
  machineBusyPct: number;
  /** CPU of this (load-generating) process, in cores. */
  loadgenCores: number;
  processes: number;
}

/**
 * Samples the CPU and memory of a process tree while a step runs: call `stop()` at its end.
 * Memory is read every 100 ms; CPU is the difference of the counters between start and stop.
 */
export function sampleUsage(rootPids: readonly number[]): { stop(): Usage } {
  // Finding the tree scans all of /proc (~2 ms of this process's CPU, which the machine under
  // test shares): done once a second, not on every memory reading.
  let tree = rootPids.flatMap(processTree);
  let treeAt = performance.now();
  const pids = () => {
    if (performance.now() - treeAt >= 1_000) {
      tree = rootPids.flatMap(processTree);
      treeAt = performance.now();
    }
    return tree;
  };
  const startPids = pids();
  const cpu0 = new Map(startPids.map((p) => [p, cpuSeconds(p)]));
  const machine0 = machineTicks();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  let peak = 0;
  let peakTotal = 0;
  // The last CPU reading of each process, for one that exits before the step ends.
  const lastCpu = new Map(cpu0);
  const read = () => {
    let total = 0;
    for (const p of pids()) {
      const cpu = cpuSeconds(p);
      if (cpu > 0) lastCpu.set(p, cpu);
      const { rss } = memoryMiB(p);
      peak = Math.max(peak, rss);
      total += rss;
    }
    peakTotal = Math.max(peakTotal, total);
  };
  read();
  const timer = setInterval(read, 100);
  return {
    stop() {
      clearInterval(timer);
      read();
      const seconds = (performance.now() - t0) / 1000;
      const now = rootPids.flatMap(processTree);
      let used = 0;
      for (const p of new Set([...startPids, ...now, ...lastCpu.keys()])) {
        const end = cpuSeconds(p) || (lastCpu.get(p) ?? 0);
        used += Math.max(0, end - (cpu0.get(p) ?? 0));
      }
      const machine = machineTicks();
      const self = process.cpuUsage(self0);
      return {
        cpuCores: used / seconds,
        peakRssMiB: peak,
        peakTotalRssMiB: peakTotal,
        machineBusyPct: (100 * (machine.busy - machine0.busy)) / Math.max(1, machine.total - machine0.total),
        loadgenCores: (self.user + self.system) / 1e6 / seconds,
        processes: now.length,
      };
    },
  };
}

/**
 * Waits until the process tree has been (nearly) idle for half a second — below `cores` of
 * CPU — so a step does not pay for requests still queued from the one before. At most `ms`.
 */
export async function waitIdle(pid: number, ms = 30_000, cores = 0.1): Promise<void> {
  const deadline = Date.now() + ms;
  const used = () => processTree(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);
  while (Date.now() < deadline) {
    const before = used();
    await new Promise((r) => setTimeout(r, 500));
    if ((used() - before) / 0.5 < cores) return;
  }
}
