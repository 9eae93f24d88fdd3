import type { Db, Queryable } from "../db/types.ts";
import type { CommandDeps } from "./deps.ts";

/**
 * The same dependencies, with a database whose `transaction()` joins the open transaction `tx`
 * instead of starting one. Lets a command that runs its own transaction (e.g. `addHumanUser`)
 * take part in a larger one, so AddOrganization creates the organization, its admins and their
 * memberships atomically.
 */
export function joinTransaction(deps: CommandDeps, tx: Queryable): CommandDeps {
  const db: Db = {
    kind: deps.db.kind,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    listen: (channel, onNotify) => deps.db.listen(channel, onNotify),
    close: async () => {},
  };
  return { ...deps, db };
}
