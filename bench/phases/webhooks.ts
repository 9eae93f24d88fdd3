import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { openDb } from "../../src/db/open.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { deriveKeys, parseMasterKey, seal } from "../../src/domain/secrets.ts";
import { webhookQueries } from "../../src/queries/webhooks.ts";
import type { Databases } from "../lib/pg-admin.ts";
import { BENCH_MASTER_KEY, startUsher } from "../lib/usher.ts";

export interface WebhookBenchRecord {
  deliveries: number;
  users: number;
  seconds: number;
  perSecond: number;
  /** Calls that arrived before an earlier event of the same user (must be 0). */
  outOfOrder: number;
}

/**
 * Webhook deliveries per second to a loopback receiver with per-user order kept: one Usher
 * process, one Standard Webhooks subscription, `count` events of `count/10` users written in one
 * transaction (the fan-out trigger queues their deliveries); timed from the commit until the
 * receiver has answered every call, counting calls that arrive out of order per user.
 */
export async function runWebhooks(
  databases: Databases,
  name: string,
  count: number,
): Promise<WebhookBenchRecord> {
  const url = await databases.create(name);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-hooks-"));
  const db = await openDb({ databaseUrl: url, dataDir, poolSize: 2 });
  const last = new Map<string, number>();
  let received = 0;
  let outOfOrder = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { data } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        data: { user_id: string; sequence: number };
      };
      if ((last.get(data.user_id) ?? 0) >= data.sequence) outOfOrder++;
      last.set(data.user_id, data.sequence);
      received++;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = (receiver.address() as AddressInfo).port;
  const usher = await startUsher({
    name: "usher-webhooks",
    databaseUrl: url,
    dataDir,
    env: { USHER_WEBHOOK_ALLOW_PRIVATE: "true", USHER_WEBHOOK_CONCURRENCY: "64" },
  });
  try {
    const orgId = (await db.query<{ default_org_id: string }>("select default_org_id from instance"))[0]
      ?.default_org_id as string;
    const keys = deriveKeys(parseMasterKey(BENCH_MASTER_KEY));
    const id = uuidv7();
    const at = new Date();
    await webhookQueries(db).insert({
      id,
      org_id: orgId,
      kind: "standard",
      name: "",
      url: `http://127.0.0.1:${port}/hook`,
      description: "bench",
      event_types: ["user.locked"],
      secret: seal(keys.webhook, `whsec_${Buffer.alloc(24, 9).toString("base64")}`, id),
      timeout_ms: 10_000,
      target_type: "",
      interrupt_on_error: false,
      created_at: at,
      updated_at: at,
    });
    const users = Math.max(1, Math.floor(count / 10));
    const t0 = performance.now();
    await db.query(
      `insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor)
       select $1, 'user', 'bench-' || (i % $3), i / $3 + 1, 'user.locked', '{}', 'bench'
         from generate_series(0, $2 - 1) as i order by i / $3, i % $3`,
      [orgId, count, users],
    );
    const deadline = t0 + 300_000;
    while (received < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const seconds = (performance.now() - t0) / 1000;
    const record = { deliveries: received, users, seconds, perSecond: received / seconds, outOfOrder };
    process.stdout.write(
      `  webhooks        ${received}/${count} deliveries to ${users} users in ${seconds.toFixed(1)} s = ${record.perSecond.toFixed(0)}/s, out of order: ${outOfOrder}\n`,
    );
    return record;
  } finally {
    await usher.stop();
    await db.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
