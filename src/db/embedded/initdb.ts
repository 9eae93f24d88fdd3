import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import type { Binaries } from "./binaries.ts";
import { type Layout, SUPERUSER } from "./layout.ts";
import type { OsUser } from "./os-user.ts";

/**
 * Creates `<data dir>/pg` with the superuser's password and an initialised cluster, once; a
 * cluster that exists (its `PG_VERSION`) is left as it is. Two processes starting together on an
 * empty folder may both run initdb, each into a folder of its own: the first to rename it into
 * place wins and the other's is removed, so the cluster is never half-written. Returns whether
 * this call initialised it.
 */
export async function initialise(
  layout: Layout,
  binaries: Binaries,
  user: OsUser | undefined,
): Promise<boolean> {
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  chmodSync(layout.root, 0o700);
  if (user) chownSync(layout.root, user.uid, user.gid);
  const password = readOrCreatePassword(layout.passfile);
  if (existsSync(path.join(layout.data, "PG_VERSION"))) return false;
  removeAbandoned(layout.root);
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const target = path.join(layout.root, `data.init-${tag}`);
  // initdb reads the password from a file; this one lives only while initdb runs.
  const pwfile = path.join(layout.root, `pwfile-${tag}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600, flag: "wx" });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${target}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        // The same answers on every machine: byte-order collation, Unicode-aware upper/lower,
        // no dependency on the OS's locales.
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--no-instructions",
        // One syncfs() instead of an fsync per file: the same durability, seconds faster.
        ...(process.platform === "linux" ? ["--sync-method=syncfs"] : []),
      ],
      user,
    );
  } catch (e) {
    rmSync(target, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(pwfile, { force: true });
  }
  try {
    renameSync(target, layout.data);
  } catch (e) {
    rmSync(target, { recursive: true, force: true });
    if (existsSync(path.join(layout.data, "PG_VERSION"))) return false;
    throw e;
  }
  return true;
}

/** The superuser's password, generated into the pgpass file (mode 0600) on first use. */
export function readOrCreatePassword(passfile: string): string {
  if (!existsSync(passfile)) {
    const password = randomBytes(24).toString("base64url");
    try {
      writeFileSync(passfile, `*:*:*:${SUPERUSER}:${password}\n`, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  const line = readFileSync(passfile, "utf8").split("\n")[0] ?? "";
  const password = line.split(":").slice(4).join(":");
  if (!password) throw new Error(`${passfile} holds no password`);
  return password;
}

/** Folders left by an initdb whose process died. */
function removeAbandoned(root: string): void {
  for (const name of readdirSync(root)) {
    const m = /^(?:data\.init|pwfile)-(\d+)-/.exec(name);
    if (m && !isAlive(Number(m[1]))) rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function run(command: string, args: string[], user: OsUser | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(user ?? {}),
      // English messages and no inherited locale: initdb would otherwise take the caller's.
      env: { PATH: process.env.PATH ?? "", LC_ALL: "C", TZ: "UTC" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`initdb failed (${code ?? signal}): ${output.trim().slice(-2000)}`));
    });
  });
}
