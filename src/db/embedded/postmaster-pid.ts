import { execFileSync } from "node:child_process";
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

/** The name the guardian script runs under (its `$0`), see guardian.ts. */
export const GUARDIAN_NAME = "usher-postgres-guardian";

/**
 * Whether the postmaster `pid` still runs under a guardian (so an Usher process owns it and it
 * stops with that process). A postmaster whose guardian is gone was left behind: it is stopped
 * before a new one starts.
 */
export function isGuarded(pid: number): boolean {
  try {
    if (existsSync(`/proc/${pid}/stat`)) {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return readFileSync(`/proc/${ppid}/cmdline`, "utf8").includes(GUARDIAN_NAME);
    }
    const ppid = execFileSync("ps", ["-o", "ppid=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return execFileSync("ps", ["-o", "command=", "-p", ppid], { encoding: "utf8" }).includes(GUARDIAN_NAME);
  } catch {
    return false;
  }
}
