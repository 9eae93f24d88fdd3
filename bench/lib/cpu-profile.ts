import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where the CPU time of a window of a profile went. */
export interface ProfileSummary {
  file: string;
  /** Milliseconds of samples inside the window. */
  sampledMs: number;
  /** Functions by self time, highest first. */
  top: Array<{ fn: string; where: string; selfPct: number }>;
  /** Self time by area: a package, a folder of Usher's src, Node's internals, GC, idle. */
  areas: Array<{ area: string; selfPct: number }>;
}

/** The area a function's source belongs to. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  if (url.startsWith("wasm://")) return "WebAssembly (Cedar; hash-wasm when hashing)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const src = /\/(src|dist|bench|bin)\/(.*)$/.exec(url);
  if (src) {
    const parts = (src[2] ?? "").split("/");
    return `usher ${src[1]}/${parts.length > 1 ? `${parts[0]}/` : (parts[0] ?? "")}`;
  }
  return url;
}

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(/^.*node_modules\//, "")
    .replace(/^.*\/(src|dist|bench|bin)\//, "$1/");

/**
 * Reads the newest main-thread `.cpuprofile` in `dir` and sums self time per function and per area over
 * the samples taken between `fromMs` and `toMs` after the process started.
 */
export function summarizeProfile(dir: string, fromMs: number, toMs: number, topN = 15): ProfileSummary {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's
  // module loader runs on a thread of its own and writes a second, mostly idle profile).
  const file = readdirSync(dir)
    .filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .sort()
    .at(-1);
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fnTime = new Map<string, { fn: string; where: string; us: number }>();
  const areaTime = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const since = (t - profile.startTime) / 1000;
    if (since < fromMs || since > toMs) continue;
    const node = byId.get(profile.samples[i] as number);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = functionName || "(anonymous)";
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : "";
    const key = `${fn}@${where}`;
    const entry = fnTime.get(key) ?? { fn, where, us: 0 };
    entry.us += delta;
    fnTime.set(key, entry);
    const area = areaOf(url, fn);
    areaTime.set(area, (areaTime.get(area) ?? 0) + delta);
    total += delta;
  }
  const pct = (us: number) => (100 * us) / Math.max(1, total);
  return {
    file: path.join(dir, file),
    sampledMs: total / 1000,
    top: [...fnTime.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((e) => ({ fn: e.fn, where: e.where, selfPct: pct(e.us) })),
    areas: [...areaTime]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([area, us]) => ({ area, selfPct: pct(us) })),
  };
}
