import type { Db, Queryable } from "../db/types.ts";
import type { CommandDeps } from "./deps.ts";

/**
 * The same dependencies, with a database whose `transaction()` joins the open transaction `tx`
 * instead of starting one. Lets a command that runs its own transaction (e.g. `addHumanUser`)
 * take part in a larger one, so AddOrganization creates the organization, its admins and their
 * memberships atomically. A statement the joined command marks `last` does not commit.
 */
export function joinTransaction(deps: CommandDeps, tx: Queryable): CommandDeps {
  const joined: Queryable = {
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
  };
  const db: Db = {
    ...joined,
    transaction: (fn) => fn(joined),
    listen: (channel, onNotify, onLive) => deps.db.listen(channel, onNotify, onLive),
    close: async () => {},
    connectionString: deps.db.connectionString,
  };
  return { ...deps, db };
}
