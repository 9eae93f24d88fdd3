import { OUTAGE_RETRY_AFTER_SECONDS } from "../db/db-errors.ts";
import type { DbProbe } from "../db/probe.ts";
import type { Db } from "../db/types.ts";
import type { Metrics } from "../ops/metrics.ts";
import { type Res, sendJson } from "./http/io.ts";

/**
 * `/healthz`: the process is alive and its event loop turns. It touches no database, so slow
 * or stuck statements never delay it (a liveness probe must not restart a process for an
 * outage of its database; `/readyz` reports that).
 */
export function health(res: Res): void {
  sendJson(res, 200, { status: "ok" });
}

/**
 * `/readyz`: start-up (migrations, bootstrap, worker) finished and the database answers on the
 * probe's own connection, never queued behind the requests' statements.
 */
export async function ready(probe: DbProbe, isReady: () => boolean, res: Res): Promise<void> {
  if (!isReady()) return sendJson(res, 503, { status: "starting" });
  try {
    await probe.ping();
    sendJson(res, 200, { status: "ok" });
  } catch {
    sendJson(
      res,
      503,
      { code: "unavailable", message: "The database is unreachable.", details: {}, notices: [] },
      { "retry-after": String(OUTAGE_RETRY_AFTER_SECONDS) },
    );
  }
}

/** `/metrics`: Prometheus text; queue depth and age are read from the database at scrape time. */
export async function metricsPage(db: Db, metrics: Metrics, res: Res): Promise<void> {
  const rows = await db.query<{ depth: number; oldest: number | null }>(
    `select count(*)::int as depth, extract(epoch from (now() - min(created_at)))::float8 as oldest
       from outbox where status in ('queued', 'sending')`,
  );
  metrics.queueDepth.set(rows[0]?.depth ?? 0);
  metrics.oldestQueued.set(Number(rows[0]?.oldest ?? 0));
  const text = await metrics.registry.metrics();
  (res as import("node:http").ServerResponse).writeHead(200, {
    "content-type": metrics.registry.contentType,
  });
  res.end(text);
}
