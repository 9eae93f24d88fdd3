import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb } from "../../src/db/open.ts";
import type { Db } from "../../src/db/types.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { deriveKeys, parseMasterKey, seal } from "../../src/domain/secrets.ts";
import { type Enqueued, enqueueMessages } from "../../src/outbox/enqueue.ts";
import type { Databases } from "../lib/pg-admin.ts";
import { cpuSeconds, sampleUsage, type Usage, watchCommand } from "../lib/proc-stats.ts";
import { seedEmail, seedUsers } from "../lib/seed-users.ts";
import { type SmtpSink, startSmtpSink } from "../lib/smtp-sink.ts";
import type { Server } from "../lib/spawn.ts";
import { BENCH_MASTER_KEY, startUsher } from "../lib/usher.ts";

export interface DeliveryRecord {
  processes: number;
  /** Which round of the step (1-based): each round runs every process count once. */
  round: number;
  messages: number;
  /** From the commit of the queued messages to the last one accepted by the SMTP server. */
  seconds: number;
  perSecond: number;
  /** Accepted when the time limit ended the wait (= messages when all arrived). */
  accepted: number;
  /**
   * Usher CPU (all its processes) per accepted message, in ms: unlike the rate, barely moved by
   * what else the machine runs.
   */
  cpuMsPerMessage: number;
  /** The machine's 1-minute load average at the end of the step. */
  load: number;
  /**
   * CPU of every `postgres` process of the machine during the step, in cores: the bench
   * database's server, and whatever else that server (or another) did meanwhile.
   */
  databaseCores: number;
  /** CPU of the whole machine during the step, in cores: near all of them, more processes cannot help. */
  machineCores: number;
  /** CPU seconds of each Usher process during the step: how evenly the processes shared the work. */
  processCpuSeconds: number[];
  server: Usage;
}

/**
 * Queues `count` invite mails (as ResendInviteCode queues them: an invite code sealed with the
 * master key, for real users) in one transaction, straight into the outbox as
 * test/helpers/seed-outbox.ts does, and times how long 1 and 2 Usher processes take until a
 * loopback SMTP server has accepted all of them. Each process count gets a database of its own,
 * migrated and seeded the same way: a run on a table that already holds the previous run's sent
 * rows (and autovacuum cleaning up after them) measured about 20 % slower, whichever count ran
 * second. Before the timed batch the processes deliver a warm-up batch (other users) untimed, as
 * a long-running process has long done: opening its SMTP and database connections and compiling
 * its hot paths is paid once per process, so timing it would charge two processes twice.
 */
/** Messages delivered untimed before each timed batch (fewer when the batch is smaller). */
const WARM_UP = 2_000;

/**
 * Runs the step `rounds` times, each round timing 1 and then 2 processes, every other round in
 * the opposite order (2, then 1), so neither count always runs first. A single run of a few
 * seconds on a machine this small varies by up to a quarter, more than the difference being
 * measured; the comparison uses each count's median (`deliveryMedians`).
 */
export async function runDelivery(
  databases: Databases,
  name: string,
  count: number,
  rounds: number,
  limitSeconds = 300,
): Promise<DeliveryRecord[]> {
  const sink = await startSmtpSink();
  const records: DeliveryRecord[] = [];
  try {
    for (let round = 1; round <= rounds; round++)
      for (const processes of round % 2 === 1 ? [1, 2] : [2, 1])
        records.push({
          ...(await deliverWith(
            processes,
            await databases.create(`${name}_${round}_${processes}`),
            sink,
            count,
            limitSeconds,
          )),
          round,
        });
  } finally {
    await sink.close();
  }
  return records;
}

/** Each process count's median run (by messages/s; the lower middle one of an even number), fewest processes first. */
export function deliveryMedians(records: readonly DeliveryRecord[]): DeliveryRecord[] {
  const counts = [...new Set(records.map((r) => r.processes))].sort((a, b) => a - b);
  return counts.map((n) => {
    const runs = records.filter((r) => r.processes === n).sort((a, b) => a.perSecond - b.perSecond);
    return runs[Math.floor((runs.length - 1) / 2)] as DeliveryRecord;
  });
}

/** One timed run: `processes` Usher processes deliver `count` messages queued in a fresh database at `url`. */
async function deliverWith(
  processes: number,
  url: string,
  sink: SmtpSink,
  count: number,
  limitSeconds: number,
): Promise<Omit<DeliveryRecord, "round">> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-mail-"));
  const keys = deriveKeys(parseMasterKey(BENCH_MASTER_KEY));
  const db = await openDb({ databaseUrl: url, dataDir, poolSize: 2 });
  const servers: Server[] = [];
  try {
    // A first start migrates and makes the organization the users belong to.
    const first = await startUsher({ databaseUrl: url, dataDir, smtpUrl: sink.url });
    await first.stop();
    const orgId = (await db.query<{ default_org_id: string }>("select default_org_id from instance"))[0]
      ?.default_org_id as string;
    const warmUp = Math.min(WARM_UP, count);
    const userIds = await seedUsers(db, [orgId], warmUp + count);
    for (let i = 0; i < processes; i++)
      servers.push(
        await startUsher({ name: `usher-mail-${i}`, databaseUrl: url, dataDir, smtpUrl: sink.url }),
      );
    const warm = sink.accepted();
    await enqueue(db, keys.outbox, orgId, userIds, 0, warmUp);
    await until(() => sink.accepted() - warm >= warmUp, limitSeconds);
    // The warm-up's last sends are recorded just after the server accepted them. Then the
    // statistics and visibility maps of the freshly seeded tables, which autovacuum would
    // otherwise catch up on in the middle of one count's run and not the other's.
    await new Promise((r) => setTimeout(r, 500));
    await db.query("vacuum analyze");
    await db.query("checkpoint");
    const before = sink.accepted();
    await enqueue(db, keys.outbox, orgId, userIds, warmUp, warmUp + count);
    const usage = sampleUsage(servers.map((s) => s.pid));
    const cpuBefore = servers.map((s) => cpuSeconds(s.pid));
    const database = watchCommand("postgres");
    const t0 = performance.now();
    await until(() => sink.accepted() - before >= count, limitSeconds);
    const seconds = (performance.now() - t0) / 1000;
    const accepted = sink.accepted() - before;
    const server = usage.stop();
    const processCpuSeconds = servers.map((s, i) => cpuSeconds(s.pid) - (cpuBefore[i] ?? 0));
    const databaseCores = database.stop() / seconds;
    const record = {
      processes,
      messages: count,
      seconds,
      perSecond: accepted / seconds,
      accepted,
      cpuMsPerMessage: (server.cpuCores * seconds * 1000) / Math.max(1, accepted),
      load: os.loadavg()[0] ?? 0,
      databaseCores,
      machineCores: (server.machineBusyPct / 100) * os.cpus().length,
      processCpuSeconds,
      server,
    };
    process.stdout.write(
      `  delivery        ${processes} process(es): ${accepted}/${count} in ${seconds.toFixed(1)} s = ${record.perSecond.toFixed(0)}/s, cpu ${server.cpuCores.toFixed(2)} = ${record.cpuMsPerMessage.toFixed(3)} ms/message (${(1000 / record.cpuMsPerMessage).toFixed(0)} messages per CPU second), SMTP sink cpu ${server.loadgenCores.toFixed(2)}, PostgreSQL cpu (all of the machine's) ${databaseCores.toFixed(2)}, machine busy ${record.machineCores.toFixed(2)} of ${os.cpus().length} cores, CPU seconds per process ${processCpuSeconds.map((c) => c.toFixed(2)).join(" / ")}, rss ${server.peakRssMiB.toFixed(0)} MiB, load ${record.load.toFixed(1)}\n`,
    );
    return record;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits (polling every 20 ms) until `done()` or `limitSeconds` have passed. */
async function until(done: () => boolean, limitSeconds: number): Promise<void> {
  const deadline = performance.now() + limitSeconds * 1000;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** Queues one invite for each of `userIds[from..to)` in one transaction; the workers see them when it commits. */
async function enqueue(
  db: Db,
  outboxKey: Buffer,
  orgId: string,
  userIds: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  const at = new Date();
  const batch: Enqueued[] = [];
  for (let i = from; i < to; i++) {
    const userId = userIds[i] as string;
    batch.push({
      id: uuidv7(),
      at,
      message: {
        orgId,
        userId,
        type: "InviteUser",
        codeKind: "invite",
        recipient: seedEmail(i),
        payload: {
          userId,
          orgId,
          username: seedEmail(i),
          displayName: `Seed User ${i}`,
          givenName: "Seed",
          preferredLanguage: "en",
          applicationName: "Bench",
          urlTemplate: "",
          codeExpiresAt: new Date(at.getTime() + 72 * 3_600_000).toISOString(),
        },
        secret: seal(outboxKey, "BENCH1"),
        expiresAt: new Date(at.getTime() + 3_600_000),
      },
    });
  }
  await enqueueMessages(db, batch);
}
