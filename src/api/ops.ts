import type { Db } from "../db/types.ts";
import type { Metrics } from "../ops/metrics.ts";
import { type Res, sendJson } from "./http/io.ts";

/** `/healthz`: the process answers and its database does (503 with the error body if not). */
export async function health(db: Db, res: Res): Promise<void> {
  try {
    await db.query("select 1");
    sendJson(res, 200, { status: "ok" });
  } catch {
    sendJson(res, 503, {
      code: "unavailable",
      message: "The database is unreachable.",
      details: {},
      notices: [],
    });
  }
}

/** `/readyz`: ready once start-up (migrations, bootstrap, worker) finished and the database answers. */
export async function ready(db: Db, isReady: () => boolean, res: Res): Promise<void> {
  if (!isReady()) return sendJson(res, 503, { status: "starting" });
  return health(db, res);
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
