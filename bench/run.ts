// `npm run bench`: how fast Usher is, against the ceilings of its own stack and against a
// TypeScript peer (better-auth), in one run. Needs PostgreSQL on 127.0.0.1:5432 (user
// postgres, trust auth); makes throwaway databases `usher_bench_<ts>*` and drops them.
// Writes bench/results.json and the tables of bench/RESULTS.md. Short runs while developing:
//   BENCH_SECONDS=3 BENCH_SEED_USERS=5000 BENCH_DELIVERY_MESSAGES=1000 BENCH_ONLY=postgres,ceilings \
//   BENCH_OUT=/tmp/bench npm run bench
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Databases } from "./lib/pg-admin.ts";
import { writeResultsMarkdown } from "./lib/report.ts";
import { computeRatios, computeTargets, type Results } from "./lib/results.ts";
import { loadSettings } from "./lib/settings.ts";
import { runningServers } from "./lib/spawn.ts";
import { runCeilings } from "./phases/ceilings.ts";
import { runDelivery } from "./phases/delivery.ts";
import { runPeer } from "./phases/peer.ts";
import { profileOperation } from "./phases/profile.ts";
import { setUpUsher, type UsherSetup } from "./phases/setup-usher.ts";
import { newPools, runUsherOps } from "./phases/usher-ops.ts";
import { runWorkers } from "./phases/workers.ts";

const settings = loadSettings();
const { seconds, connections, phases } = settings;
const top = Math.max(...connections);
const databases = new Databases(settings.adminUrl);
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const started = performance.now();

const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)));
const git = (...args: string[]) => {
  try {
    return execFileSync("git", args, { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
};

const results: Results = {
  meta: {
    date: new Date().toISOString(),
    commit: git("rev-parse", "HEAD"),
    uncommittedFiles: git("status", "--porcelain").split("\n").filter(Boolean).length,
    node: process.version,
    postgres: (await databases.admin<{ v: string }>("select version() as v"))[0]?.v.split(" on ")[0] ?? "?",
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "?",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadBefore: loadavg(),
    loadAfter: [],
    seconds,
    connections,
    seedUsers: settings.seedUsers,
    phases: [...phases],
    durationSeconds: 0,
  },
  startup: [],
  steps: [],
  delivery: [],
  profiles: [],
  ratios: [],
  targets: [],
};

async function cleanUp(): Promise<void> {
  await Promise.all(runningServers().map((s) => s.stop(5_000)));
  await databases.dropAll();
}
process.on("SIGINT", () => {
  process.stderr.write("\ninterrupted: stopping servers and dropping the bench databases\n");
  void cleanUp().finally(() => process.exit(130));
});

/** BENCH_OPS: `op` or `op:surface` entries. */
const opFilter = settings.ops
  ? (op: string, surface: string) => settings.ops?.some((x) => x === op || x === `${op}:${surface}`) ?? true
  : undefined;
const section = (title: string) => process.stdout.write(`\n== ${title}\n`);

try {
  const pools = newPools();
  let pg: UsherSetup | undefined;
  const needsPostgresUsher = ["postgres", "ceilings", "workers", "profile"].some((p) =>
    phases.has(p as never),
  );
  if (needsPostgresUsher) {
    section("Usher on PostgreSQL");
    pg = await setUpUsher({
      database: "postgres",
      databases,
      name: `usher_bench_${stamp}`,
      seedCount: settings.seedUsers,
    });
    results.startup.push(...pg.startup);
    // The later phases need users with invite codes even when the hot operations are skipped.
    const only = phases.has("postgres")
      ? undefined
      : (op: string, surface: string) => surface === "REST" && ["create-user", "create-invite"].includes(op);
    results.steps.push(...(await runUsherOps(pg.under, "usher-postgres", connections, seconds, pools, only)));
    await pg.under.server.stop();
    const url = pg.databaseUrl as string;
    if (phases.has("ceilings")) {
      section("Ceilings");
      results.steps.push(...(await runCeilings(url, pools.invited, connections, seconds)));
    }
    if (phases.has("workers")) {
      section("usher start --workers");
      const w = await runWorkers(pg.under, url, pools, top, seconds);
      results.steps.push(...w.records);
      results.startup.push(...w.startup);
    }
    if (phases.has("profile")) {
      section("CPU profiles");
      const keep = path.join(os.tmpdir(), "usher-bench-profiles");
      const targets: Array<[string, string]> = [["resend-invite", "REST"]];
      // The slowest hot operation at the highest concurrency, when it is another one.
      const slowest = results.steps
        .filter(
          (s) => s.group === "usher-postgres" && s.connections === top && s.op !== "create-invite-return",
        )
        .sort((a, b) => a.rps - b.rps)[0];
      if (slowest && !(slowest.op === "resend-invite" && slowest.surface === "REST"))
        targets.push([slowest.op, slowest.surface]);
      for (const [op, surface] of targets)
        results.profiles.push(await profileOperation(pg.under, url, pools, op, surface, top, seconds, keep));
    }
    await pg.close();
  }
  if (phases.has("peer")) {
    section("Peer: better-auth");
    const peer = await runPeer(databases, `usher_bench_${stamp}_better_auth`, connections, seconds);
    results.steps.push(...peer.records);
    results.startup.push({
      database: "postgres",
      kind: "better-auth (peer)",
      readyMs: peer.readyMs,
    } as never);
    results.peerMailsSent = peer.mailsSent;
  }
  if (phases.has("delivery")) {
    section("Delivery");
    results.delivery = await runDelivery(
      databases,
      `usher_bench_${stamp}_delivery`,
      settings.deliveryMessages,
    );
  }
  if (phases.has("pglite")) {
    section("Usher on PGlite");
    const lite = await setUpUsher({ database: "pglite", databases, name: "", seedCount: settings.seedUsers });
    results.startup.push(...lite.startup);
    results.steps.push(
      ...(await runUsherOps(lite.under, "usher-pglite", connections, seconds, newPools(), opFilter)),
    );
    await lite.close();
  }
} finally {
  await cleanUp();
}

results.meta.loadAfter = loadavg();
results.meta.durationSeconds = (performance.now() - started) / 1000;
results.ratios = computeRatios(results);
results.targets = computeTargets(results, results.ratios);
mkdirSync(settings.outDir, { recursive: true });
writeFileSync(path.join(settings.outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
writeResultsMarkdown(path.join(settings.outDir, "RESULTS.md"), results);
process.stdout.write(`\nwrote ${path.join(settings.outDir, "results.json")} and RESULTS.md\n`);
for (const t of results.targets)
  process.stdout.write(`  ${t.met ? "met " : "MISS"} ${t.target}: ${t.value}\n`);
process.exit(0);
