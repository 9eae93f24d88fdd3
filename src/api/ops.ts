import type { Db } from "../db/types.ts";
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
