import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb } from "../../src/db/open.ts";
import type { Db } from "../../src/db/types.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { deriveKeys, parseMasterKey, seal } from "../../src/domain/secrets.ts";
import { type Enqueued, enqueueMessages } from "../../src/outbox/enqueue.ts";
import type { Databases } from "../lib/pg-admin.ts";
import { sampleUsage, type Usage } from "../lib/proc-stats.ts";
import { seedEmail, seedUsers } from "../lib/seed-users.ts";
import { startSmtpSink } from "../lib/smtp-sink.ts";
import type { Server } from "../lib/spawn.ts";
import { BENCH_MASTER_KEY, startUsher } from "../lib/usher.ts";

export interface DeliveryRecord {
  processes: number;
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
  server: Usage;
}

/**
 * Queues `count` invite mails (as ResendInviteCode queues them: an invite code sealed with the
 * master key, for real users) in one transaction, straight into the outbox as
 * test/helpers/seed-outbox.ts does, and times how long 1 and 2 Usher processes take until a
 * loopback SMTP server has accepted all of them.
 */
export async function runDelivery(
  databases: Databases,
  name: string,
  count: number,
  limitSeconds = 300,
): Promise<DeliveryRecord[]> {
  const url = await databases.create(name);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-mail-"));
  const sink = await startSmtpSink();
  const keys = deriveKeys(parseMasterKey(BENCH_MASTER_KEY));
  const db = await openDb({ databaseUrl: url, dataDir, poolSize: 2 });
  const records: DeliveryRecord[] = [];
  try {
    // A first start migrates and makes the organization the users belong to.
    const first = await startUsher({ databaseUrl: url, dataDir, smtpUrl: sink.url });
    await first.stop();
    const orgId = (await db.query<{ default_org_id: string }>("select default_org_id from instance"))[0]
      ?.default_org_id as string;
    const userIds = await seedUsers(db, [orgId], count);
    for (const processes of [1, 2]) {
      const servers: Server[] = [];
      for (let i = 0; i < processes; i++)
        servers.push(
          await startUsher({ name: `usher-mail-${i}`, databaseUrl: url, dataDir, smtpUrl: sink.url }),
        );
      try {
        const before = sink.accepted();
        await enqueue(db, keys.outbox, orgId, userIds);
        const usage = sampleUsage(servers.map((s) => s.pid));
        const t0 = performance.now();
        const deadline = t0 + limitSeconds * 1000;
        while (sink.accepted() - before < count && performance.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        const seconds = (performance.now() - t0) / 1000;
        const accepted = sink.accepted() - before;
        const server = usage.stop();
        const record = {
          processes,
          messages: count,
          seconds,
          perSecond: accepted / seconds,
          accepted,
          cpuMsPerMessage: (server.cpuCores * seconds * 1000) / Math.max(1, accepted),
          load: os.loadavg()[0] ?? 0,
          server,
        };
        records.push(record);
        process.stdout.write(
          `  delivery        ${processes} process(es): ${accepted}/${count} in ${seconds.toFixed(1)} s = ${record.perSecond.toFixed(0)}/s, cpu ${server.cpuCores.toFixed(2)} = ${record.cpuMsPerMessage.toFixed(3)} ms/message (${(1000 / record.cpuMsPerMessage).toFixed(0)} messages per CPU second), SMTP sink cpu ${server.loadgenCores.toFixed(2)}, rss ${server.peakRssMiB.toFixed(0)} MiB, load ${record.load.toFixed(1)}\n`,
        );
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
  } finally {
    await db.close();
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return records;
}

/** Queues one invite per user in one transaction; the workers see them when it commits. */
async function enqueue(db: Db, outboxKey: Buffer, orgId: string, userIds: readonly string[]): Promise<void> {
  const at = new Date();
  const batch: Enqueued[] = [];
  for (let i = 0; i < userIds.length; i++) {
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
