import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deriveKeys, type Keys, newMasterKey, parseMasterKey } from "../domain/secrets.ts";
import type { Config } from "./load.ts";

/** Where the note about a generated key goes (pino's `info`, or the CLI's output). */
export interface KeyLog {
  info(facts: { file: string }, message: string): void;
}

/**
 * The keys derived from the master key: `USHER_MASTER_KEY` when set, else `<dataDir>/master.key`
 * (created on first use). The server and the CLI (`usher mail test` into the dev mailbox) both
 * need them.
 */
export function loadKeys(config: Config, log: KeyLog): Keys {
  return deriveKeys(parseMasterKey(config.masterKey ?? masterKeyFile(config.dataDir, log)));
}

/** Reads `<dataDir>/master.key`, creating it (mode 0600) on first use. */
function masterKeyFile(dataDir: string, log: KeyLog): string {
  const file = path.join(dataDir, "master.key");
  if (existsSync(file)) return readFileSync(file, "utf8");
  mkdirSync(dataDir, { recursive: true });
  const key = newMasterKey();
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    // Another process starting at the same moment wrote it first: use that one.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8");
    throw e;
  }
  log.info({ file }, "generated a master key; set USHER_MASTER_KEY when running on several machines");
  return key;
}
