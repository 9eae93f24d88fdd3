import type { Authorizer } from "../authz/authorizer.ts";
import type { Caller } from "../authz/caller.ts";
import type { CallerCache } from "../authz/caller-cache.ts";
import type { Config } from "../config/load.ts";
import type { Db } from "../db/types.ts";
import type { Keys } from "../domain/secrets.ts";

/** What every command needs; built once by the composition root. */
export interface CommandDeps {
  readonly db: Db;
  readonly keys: Keys;
  /** Cedar decisions; asked after the target is loaded. */
  readonly authz: Authorizer;
  readonly config: Config;
  /** The clock; tests move it to expire codes. */
  readonly now: () => Date;
  /** Token → owner answers (authenticate); absent, every call reads the database. */
  readonly callers?: CallerCache | undefined;
}

/** Who acts and in which organization context (ZITADEL's `CtxData`). */
export interface Actor {
  readonly caller: Caller;
  /** The context organization: `x-zitadel-orgid`, the call's org field, else the caller's own. */
  readonly orgId: string;
}

/** Details every write answers with: the aggregate's last sequence, when, and its owner. */
export interface WriteDetails {
  sequence: number;
  changeDate: Date;
  resourceOwner: string;
}
