import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ProfileSummary, summarizeProfile } from "../lib/cpu-profile.ts";
import { measure, type StepRecord } from "../lib/measure.ts";
import { drainOutbox, startUsher } from "../lib/usher.ts";
import { operations, type Pools, type UsherUnderTest } from "./usher-ops.ts";

export interface ProfileRecord extends ProfileSummary {
  op: string;
  surface: string;
  connections: number;
  step: StepRecord;
}

/**
 * Runs one operation against a Usher started with `node --cpu-prof` and summarizes where its
 * CPU time went while the load ran (start-up and warm-up samples are left out).
 */
export async function profileOperation(
  base: UsherUnderTest,
  databaseUrl: string,
  pools: Pools,
  op: string,
  surface: string,
  connections: number,
  seconds: number,
  keepDir: string,
): Promise<ProfileRecord> {
  const o = operations(pools, connections).find((x) => x.op === op && x.surface === surface);
  if (!o) throw new Error(`no operation ${op} ${surface}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-prof-"));
  const profDir = path.join(keepDir, `${op}-${surface}`.toLowerCase());
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const server = await startUsher({ name: "usher-profiled", databaseUrl, dataDir, cpuProfDir: profDir });
  let step: StepRecord;
  let window: [number, number];
  try {
    const u = { ...base, server };
    await o.run(u, connections, Math.min(2, seconds));
    await drainOutbox(server.baseUrl);
    const from = performance.now() - server.spawnedAt;
    step = await measure(
      { group: "profile", op, surface, connections, note: "under --cpu-prof" },
      [server.pid],
      () => o.run(u, connections, seconds),
    );
    window = [from, performance.now() - server.spawnedAt];
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { op, surface, connections, step, ...summarizeProfile(profDir, window[0], window[1]) };
}
