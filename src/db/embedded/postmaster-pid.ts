import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isAlive } from "./initdb.ts";

/** What a running server wrote into `postmaster.pid` (see PostgreSQL's pidfile.h). */
export interface Postmaster {
  pid: number;
  port: number;
  /** The socket folder, empty when it listens on no Unix socket. */
  socketDir: string;
  /** The first address it listens on, empty for none. */
  listenAddress: string;
  /** starting, ready, stopping or standby; empty while it is writing the file. */
  status: string;
}

/** The server that holds the cluster in `data`, when its postmaster process is alive. */
export function runningPostmaster(data: string): Postmaster | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(data, "postmaster.pid"), "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgres(pid)) return undefined;
  return {
    pid,
    port: Number(lines[3]),
    socketDir: (lines[4] ?? "").trim(),
    listenAddress: (lines[5] ?? "").trim().split(/[\s,]/)[0] ?? "",
    status: (lines[7] ?? "").trim(),
  };
}

/** On Linux, that the process is a postgres (a stale file's pid may have been reused). */
function isPostgres(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    return readFileSync(cmdline, "utf8").includes("postgres");
  } catch {
    return true;
  }
}
