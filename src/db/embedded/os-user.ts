import { execFileSync } from "node:child_process";
import { chmodSync, statSync } from "node:fs";
import path from "node:path";

/** The OS account the server runs as when Usher runs as root (PostgreSQL refuses root). */
export const SERVER_OS_USER = "usher-postgres";

export interface OsUser {
  uid: number;
  gid: number;
}

/**
 * Who the server runs as: Usher's own user, or — as root — `usher-postgres`, a system account
 * without a home or a login shell, created on first use.
 */
export function serverOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return lookUp() ?? create();
}

function lookUp(): OsUser | undefined {
  try {
    const uid = Number(
      execFileSync("id", ["-u", SERVER_OS_USER], { encoding: "utf8", stdio: "pipe" }).trim(),
    );
    const gid = Number(
      execFileSync("id", ["-g", SERVER_OS_USER], { encoding: "utf8", stdio: "pipe" }).trim(),
    );
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

function create(): OsUser {
  const attempts: Array<[string, string[]]> = [
    [
      "useradd",
      [
        "--system",
        "--user-group",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        SERVER_OS_USER,
      ],
    ],
    ["adduser", ["-S", "-D", "-H", "-h", "/nonexistent", "-s", "/sbin/nologin", SERVER_OS_USER]],
  ];
  const errors: string[] = [];
  for (const [command, args] of attempts) {
    try {
      execFileSync(command, args, { stdio: "pipe" });
    } catch (e) {
      errors.push(`${command}: ${(e as Error).message.split("\n")[0]}`);
    }
    // Also when it failed: another process may have created the account at the same moment.
    const user = lookUp();
    if (user) return user;
  }
  throw new Error(
    `PostgreSQL does not run as root and the OS user ${SERVER_OS_USER} could not be created (${errors.join("; ")}); create it, run Usher as another user, or set DATABASE_URL`,
  );
}

/**
 * The folders on the way to `target` (itself included) that `user` may not pass through, and
 * gives each the execute bit for others: it lets the server reach a path it is told, never list
 * a folder. Returns the folders changed, for the log.
 */
export function letThrough(target: string, user: OsUser): string[] {
  const changed: string[] = [];
  let dir = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of chain) {
    const s = statSync(d);
    const bit = s.uid === user.uid ? 0o100 : s.gid === user.gid ? 0o010 : 0o001;
    if ((s.mode & bit) !== 0) continue;
    chmodSync(d, (s.mode & 0o7777) | 0o001);
    changed.push(d);
  }
  return changed;
}
