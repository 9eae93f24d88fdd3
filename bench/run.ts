// `npm run bench`: how fast Usher is, against the ceilings of its own stack and against a
// TypeScript peer (better-auth), and on its embedded PostgreSQL (the default) beside the machine's,
// in one run. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); makes throwaway
// databases `usher_bench_<ts>*` and drops them. The embedded phase runs Usher without DATABASE_URL
// in a temporary data folder and reports the server's memory beside Usher's.
// Writes bench/results.json and the tables of bench/RESULTS.md. Short runs while developing:
//   BENCH_SECONDS=3 BENCH_SEED_USERS=5000 BENCH_DELIVERY_MESSAGES=1000 BENCH_ONLY=postgres,ceilings \
//   BENCH_OUT=/tmp/bench npm run bench
// Delivery only, one and two processes in three alternating rounds:
//   BENCH_ONLY=delivery BENCH_DELIVERY_ROUNDS=3 BENCH_OUT=/tmp/bench npm run bench
// Invite jobs only (rows per job, and the USHER_MAIL_RATE of the run with mail):
//   BENCH_ONLY=invite-jobs BENCH_INVITE_ROWS=5000 BENCH_INVITE_MAIL_RATE=200 BENCH_OUT=/tmp/bench npm run bench
// The embedded server against the machine's PostgreSQL, resend invite only:
//   BENCH_ONLY=postgres,embedded BENCH_OPS=create-invite:REST,resend-invite:REST BENCH_CONNECTIONS=50 \
//   BENCH_SECONDS=5 BENCH_SEED_USERS=2000 BENCH_OUT=/tmp/bench npm run bench
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Databases } from "./lib/pg-admin.ts";
import { writeResultsMarkdown } from "./lib/report.ts";
import { computeRatios, computeTargets, type Results } from "./lib/results.ts";
import { loadSettings } from "./lib/settings.ts";
import { runningServers } from "./lib/spawn.ts";
import { USHER_NODE_FLAGS } from "./lib/usher.ts";
import { runCeilings } from "./phases/ceilings.ts";
import { runConsoleUsers } from "./phases/console-users.ts";
import { runDelivery } from "./phases/delivery.ts";
import { runInviteJobs } from "./phases/invite-jobs.ts";
import { runPaired } from "./phases/paired.ts";
import { runPeer } from "./phases/peer.ts";
import { profileOperation } from "./phases/profile.ts";
import { setUpUsher, type UsherSetup } from "./phases/setup-usher.ts";
import { newPools, runUsherOps } from "./phases/usher-ops.ts";
import { runWebhooks } from "./phases/webhooks.ts";
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
    usherNodeFlags: USHER_NODE_FLAGS,
    phases: [...phases],
    durationSeconds: 0,
  },
  startup: [],
  steps: [],
  delivery: [],
  profiles: [],
  ratios: [],
  targets: [],
  failures: [],
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
/** A phase that failed is reported and the run goes on with the next one. */
function failure(what: string, e: unknown): void {
  const message = `${what} failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 2000);
  process.stdout.write(`  ${message}\n`);
  results.failures.push(message);
}
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
      ? opFilter
      : (op: string, surface: string) => surface === "REST" && ["create-user", "create-invite"].includes(op);
    results.steps.push(...(await runUsherOps(pg.under, "usher-postgres", connections, seconds, pools, only)));
    await pg.under.server.stop();
    const url = pg.databaseUrl as string;
    if (phases.has("ceilings")) {
      section("Ceilings");
      results.steps.push(...(await runCeilings(url, pools.invited, connections, seconds)));
      results.steps.push(
        ...(await runPaired(pg.under, url, pools, top, Math.max(3, Math.round(seconds / 2)))),
      );
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
      const targets: Array<[string, string]> = settings.profile ?? [["resend-invite", "REST"]];
      // By default also the slowest other hot operation at the highest concurrency. Hashing a
      // password is slow on purpose, and the returned-code step only stocks the verify step:
      // both are left out.
      const slowest = results.steps
        .filter(
          (s) =>
            s.group === "usher-postgres" &&
            s.connections === top &&
            !["create-invite-return", "create-user-password"].includes(s.op),
        )
        .sort((a, b) => a.rps - b.rps)[0];
      if (!settings.profile && slowest && !(slowest.op === "resend-invite" && slowest.surface === "REST"))
        targets.push([slowest.op, slowest.surface]);
      for (const [op, surface] of targets) {
        try {
          results.profiles.push(
            await profileOperation(pg.under, url, pools, op, surface, top, seconds, keep),
          );
        } catch (e) {
          failure(`profile of ${op} ${surface}`, e);
        }
      }
    }
    await pg.close();
  }
  if (phases.has("peer")) {
    section("Peer: better-auth");
    try {
      const peer = await runPeer(databases, `usher_bench_${stamp}_better_auth`, connections, seconds);
      results.steps.push(...peer.records);
      results.startup.push({ database: "postgres", kind: "better-auth (peer)", readyMs: peer.readyMs });
      results.peerMailsSent = peer.mailsSent;
    } catch (e) {
      failure("the peer", e);
    }
  }
  if (phases.has("delivery")) {
    section("Delivery");
    try {
      results.delivery = await runDelivery(
        databases,
        `usher_bench_${stamp}_delivery`,
        settings.deliveryMessages,
        settings.deliveryRounds,
      );
    } catch (e) {
      failure("delivery", e);
    }
  }
  if (phases.has("webhooks")) {
    try {
      results.webhooks = await runWebhooks(
        databases,
        `usher_bench_${stamp}_webhooks`,
        settings.deliveryMessages,
      );
    } catch (e) {
      failure("webhooks", e);
    }
  }
  if (phases.has("invite-jobs")) {
    section("Invite jobs");
    results.inviteJobs = [];
    for (const database of ["postgres", "embedded"] as const) {
      try {
        results.inviteJobs.push(
          ...(await runInviteJobs(
            databases,
            `usher_bench_${stamp}_jobs`,
            settings.inviteJobRows,
            settings.inviteJobMailRate,
            database,
          )),
        );
      } catch (e) {
        failure(`invite jobs on ${database}`, e);
      }
    }
  }
  if (phases.has("embedded")) {
    section("Usher on its embedded PostgreSQL (the default)");
    try {
      const embedded = await setUpUsher({
        database: "embedded",
        databases,
        name: "",
        seedCount: settings.seedUsers,
      });
      results.startup.push(...embedded.startup);
      try {
        results.steps.push(
          ...(await runUsherOps(
            embedded.under,
            "usher-embedded",
            connections,
            seconds,
            newPools(),
            opFilter,
          )),
        );
      } finally {
        await embedded.close();
      }
    } catch (e) {
      failure("Usher on its embedded PostgreSQL", e);
    }
  }
  if (phases.has("console")) {
    section("The console's users page over 100,000 users (PostgreSQL)");
    try {
      const count = Number(process.env.BENCH_CONSOLE_USERS ?? 100_000);
      for (const s of await runConsoleUsers(databases, `usher_bench_${stamp}_console`, count))
        process.stdout.write(
          `  ${s.page}: median ${s.medianMs} ms, p95 ${s.p95Ms} ms (${s.samples} requests)\n`,
        );
    } catch (e) {
      failure("console users page", e);
    }
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
  process.stdout.write(`  ${t.met === null ? "info" : t.met ? "met " : "MISS"} ${t.target}: ${t.value}\n`);
process.exit(0);
