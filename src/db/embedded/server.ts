import { type ChildProcess, spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Binaries, findBinaries } from "./binaries.ts";
import { GUARDIAN_SCRIPT } from "./guardian.ts";
import { initialise, isAlive, readOrCreatePassword } from "./initdb.ts";
import { DATABASE, type Layout, layoutOf, SOCKET_PORT, SUPERUSER } from "./layout.ts";
import { letThrough, type OsUser, serverOsUser } from "./os-user.ts";
import { GUARDIAN_NAME, isGuarded, type Postmaster, runningPostmaster } from "./postmaster-pid.ts";
import { freeLoopbackPort } from "./tcp-port.ts";

/** The few log calls the server makes (a pino logger fits). */
export interface ServerLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

export interface EmbeddedOptions {
  dataDir: string;
  log: ServerLog;
  /** Extra `-c name=value` settings (the test suite turns fsync off). */
  settings?: Record<string, string>;
}

/** How long a start, a crash recovery included, may take. */
const READY_TIMEOUT_MS = 120_000;
/** How long a fast shutdown may take before the server is told to quit at once. */
const STOP_TIMEOUT_MS = 30_000;
/** Restart back-off after the server died: 0.2 s doubling to 5 s. */
const FIRST_RESTART_MS = 200;
const LAST_RESTART_MS = 5_000;
/** How often a process that did not start the server checks it is still there. */
const WATCH_MS = 500;
/** The log is started afresh at a start when it has grown past this. */
const MAX_LOG_BYTES = 10 * 2 ** 20;

/**
 * The PostgreSQL server Usher runs in `<data dir>/pg` when no DATABASE_URL is set.
 *
 * `start()` initialises the cluster on first use, then uses the server that already runs on it
 * (another Usher process's: `--workers N`, or a second `usher` command) or starts one. The process
 * that started it owns it: the server runs under a guardian that stops it when its owner stops
 * or dies (see guardian.ts), and the owner restarts it when it dies on its own. A process that
 * found it running watches it, and starts it itself only when its owner is gone. PostgreSQL's own
 * lock (`postmaster.pid`) keeps a second server from ever starting on the cluster.
 */
export class EmbeddedServer {
  readonly layout: Layout;
  readonly #log: ServerLog;
  readonly #settings: Record<string, string>;
  #binaries: Binaries | undefined;
  #user: OsUser | undefined;
  #password = "";
  #guardian: ChildProcess | undefined;
  #postmaster: Postmaster | undefined;
  #stopping = false;
  #restarting: Promise<void> | undefined;
  #watch: NodeJS.Timeout | undefined;
  #up = false;

  constructor(options: EmbeddedOptions) {
    this.layout = layoutOf(options.dataDir);
    this.#log = options.log;
    this.#settings = options.settings ?? {};
  }

  /** Whether this process started the running server (and so stops it). */
  get owned(): boolean {
    return this.#guardian !== undefined;
  }

  /** Whether the server is believed to answer (false from its death until it is back). */
  get up(): boolean {
    return this.#up;
  }

  /** pg's settings for the `usher` database; the password is never logged. */
  connection(database = DATABASE): pg.ClientConfig {
    const pm = this.#postmaster;
    const host = pm?.socketDir || this.layout.socketDir || "127.0.0.1";
    return { host, port: pm?.port ?? SOCKET_PORT, user: SUPERUSER, password: this.#password, database };
  }

  /** The same as a connection URL (it holds the password: never log it). */
  url(database = DATABASE): string {
    const c = this.connection(database);
    return `postgresql://${SUPERUSER}:${encodeURIComponent(this.#password)}@${encodeURIComponent(String(c.host))}:${c.port}/${database}`;
  }

  /** Initialises (first start) and starts or joins the server; resolves once it accepts connections. */
  async start(): Promise<void> {
    const t0 = performance.now();
    this.#binaries = findBinaries();
    this.#user = serverOsUser();
    mkdirSync(path.dirname(this.layout.root), { recursive: true });
    if (this.#user) {
      const opened = [
        ...letThrough(this.#binaries.bin, this.#user),
        ...letThrough(path.dirname(this.layout.root), this.#user),
      ];
      if (opened.length > 0)
        this.#log.warn(
          { folders: opened },
          "gave other users the right to pass through these folders (not to list them), so the database server's OS user can reach its files",
        );
    }
    const created = await initialise(this.layout, this.#binaries, this.#user);
    if (created) this.#log.info({ folder: this.layout.data }, "initialised the embedded PostgreSQL cluster");
    this.#password = readOrCreatePassword(this.layout.passfile);
    await this.#ensureRunning();
    await this.#ensureDatabase();
    this.#up = true;
    this.#log.info(
      {
        folder: this.layout.root,
        pid: this.#postmaster?.pid,
        socket: this.#postmaster?.socketDir || undefined,
        port: this.#postmaster?.socketDir ? undefined : this.#postmaster?.port,
        started: this.owned,
        ms: Math.round(performance.now() - t0),
      },
      this.owned ? "embedded PostgreSQL started" : "embedded PostgreSQL already running; using it",
    );
    if (!this.owned) this.#watchShared();
  }

  /** Stops the server when this process started it; otherwise only stops watching it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#up = false;
    if (this.#watch) clearInterval(this.#watch);
    await this.#restarting?.catch(() => {});
    const guardian = this.#guardian;
    if (!guardian) return;
    const exited = new Promise<void>((resolve) => {
      if (guardian.exitCode !== null || guardian.signalCode !== null) resolve();
      else guardian.once("exit", () => resolve());
    });
    guardian.stdin?.end();
    const timer = setTimeout(() => {
      // A fast shutdown that hangs: immediate shutdown (crash recovery at the next start).
      const pid = this.#postmaster?.pid;
      if (pid && isAlive(pid)) process.kill(pid, "SIGQUIT");
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.#guardian = undefined;
    this.#forgetOwner();
    this.#log.info({ folder: this.layout.root }, "embedded PostgreSQL stopped");
  }

  /** Uses the running server, or starts one; stops a server whose owner is gone first. */
  async #ensureRunning(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const pm = runningPostmaster(this.layout.data);
      if (!pm) {
        if (await this.#spawn(deadline)) return;
        continue;
      }
      if (pm.status === "stopping") {
        await waitUntil(() => !isAlive(pm.pid), deadline, "the server to finish stopping");
        continue;
      }
      if (!isGuarded(pm.pid)) {
        // Left running without its guardian (killed along with the Usher that started it):
        // stop it cleanly and start our own.
        this.#log.warn({ pid: pm.pid }, "stopping an embedded PostgreSQL left running by a previous Usher");
        try {
          process.kill(pm.pid, "SIGINT");
        } catch {}
        await waitUntil(() => !isAlive(pm.pid), deadline, "the abandoned server to stop");
        continue;
      }
      await waitUntil(
        () => runningPostmaster(this.layout.data)?.status === "ready",
        deadline,
        "the running server to accept connections",
      );
      this.#postmaster = runningPostmaster(this.layout.data);
      return;
    }
  }

  /**
   * Starts postgres under its guardian and waits until it is ready. False when another process
   * won the race to start it (PostgreSQL's lock file refused ours): use theirs then.
   */
  async #spawn(deadline: number): Promise<boolean> {
    const binaries = this.#binaries as Binaries;
    const port = this.layout.socketDir ? SOCKET_PORT : await this.#tcpPort();
    const settings: Record<string, string> = {
      listen_addresses: this.layout.socketDir ? "" : "127.0.0.1",
      unix_socket_directories: this.layout.socketDir ?? "",
      unix_socket_permissions: "0700",
      logging_collector: "off",
      // `--workers auto` runs a process per core, each with its pool (10) and a listening
      // connection: room for all of them, and for a backup or a shell beside.
      max_connections: String(Math.max(100, 12 * os.availableParallelism() + 20)),
      ...this.#settings,
    };
    const args = [binaries.postgres, "-D", this.layout.data, "-p", String(port)];
    for (const [name, value] of Object.entries(settings)) args.push("-c", `${name}=${value}`);
    this.#trimLog();
    const logFd = openSync(this.layout.log, "a", 0o600);
    let guardian: ChildProcess;
    try {
      guardian = spawn("/bin/sh", ["-c", GUARDIAN_SCRIPT, GUARDIAN_NAME, ...args], {
        ...(this.#user ?? {}),
        cwd: this.layout.root,
        detached: true,
        env: { PATH: process.env.PATH ?? "", LC_ALL: "C", TZ: "UTC" },
        stdio: ["pipe", logFd, logFd],
      });
    } finally {
      closeSync(logFd);
    }
    const exited = new Promise<number | string>((resolve) =>
      guardian.once("exit", (code, signal) => resolve(code ?? signal ?? "?")),
    );
    guardian.on("error", () => {});
    let status: number | string | undefined;
    void exited.then((s) => {
      status = s;
    });
    const logStart = this.#logSize();
    try {
      await waitUntil(
        () => status !== undefined || runningPostmaster(this.layout.data)?.status === "ready",
        deadline,
        "the embedded PostgreSQL to start",
      );
    } catch (e) {
      guardian.stdin?.end();
      throw e;
    }
    if (status !== undefined) {
      const said = this.#logSince(logStart);
      if (/lock file "postmaster\.pid" already exists/.test(said)) return false;
      throw new Error(`the embedded PostgreSQL did not start (exit ${status}): ${said.trim().slice(-1500)}`);
    }
    this.#guardian = guardian;
    this.#postmaster = runningPostmaster(this.layout.data);
    writeFileSync(this.layout.owner, `${process.pid}\n`);
    void exited.then((s) => this.#died(guardian, s));
    return true;
  }

  /** The owner's server exited without being asked: start it again, with back-off. */
  #died(guardian: ChildProcess, status: number | string): void {
    if (this.#stopping || guardian !== this.#guardian) return;
    this.#guardian = undefined;
    this.#up = false;
    this.#log.error({ exit: status }, "the embedded PostgreSQL stopped unexpectedly; restarting it");
    this.#restart();
  }

  #restart(): void {
    if (this.#restarting || this.#stopping) return;
    this.#restarting = (async () => {
      let wait = FIRST_RESTART_MS;
      while (!this.#stopping) {
        await new Promise((r) => setTimeout(r, wait));
        if (this.#stopping) return;
        try {
          await this.#ensureRunning();
          if (this.#stopping) return;
          this.#up = true;
          this.#log.info(
            { pid: this.#postmaster?.pid, started: this.owned },
            "the embedded PostgreSQL is back",
          );
          if (!this.owned) this.#watchShared();
          return;
        } catch (e) {
          this.#log.warn({ err: (e as Error).message }, "the embedded PostgreSQL did not come back yet");
          wait = Math.min(wait * 2, LAST_RESTART_MS);
        }
      }
    })().finally(() => {
      this.#restarting = undefined;
    });
  }

  /** A server another process started: notice when it is gone, and take over if its owner is. */
  #watchShared(): void {
    if (this.#watch) clearInterval(this.#watch);
    this.#watch = setInterval(() => {
      if (this.#restarting || this.#stopping || this.owned) return;
      const pm = runningPostmaster(this.layout.data);
      if (pm?.status === "ready") {
        this.#postmaster = pm;
        this.#up = true;
        return;
      }
      this.#up = false;
      if (this.#ownerAlive()) return; // its owner is restarting it, or stopping and then gone
      clearInterval(this.#watch);
      this.#watch = undefined;
      this.#log.warn({}, "the embedded PostgreSQL of another Usher process is gone; starting it");
      this.#restart();
    }, WATCH_MS);
    this.#watch.unref();
  }

  /** Whether the Usher process recorded as the server's owner is alive (and not this one). */
  #ownerAlive(): boolean {
    try {
      const pid = Number(readFileSync(this.layout.owner, "utf8").trim());
      return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid);
    } catch {
      return false;
    }
  }

  #forgetOwner(): void {
    try {
      if (Number(readFileSync(this.layout.owner, "utf8").trim()) === process.pid) rmSync(this.layout.owner);
    } catch {}
  }

  /** Creates the `usher` database on first start (two processes may race: one wins). */
  async #ensureDatabase(): Promise<void> {
    const client = new pg.Client(this.connection("postgres"));
    await client.connect();
    try {
      const rows = await client.query("select 1 from pg_database where datname = $1", [DATABASE]);
      if (rows.rowCount === 0) {
        await client.query(`create database ${DATABASE}`).catch((e: { code?: string }) => {
          if (e.code !== "42P04" && e.code !== "23505") throw e;
        });
      }
    } finally {
      await client.end();
    }
  }

  /** With no socket: the port chosen once and kept in `<data dir>/pg/port`, on 127.0.0.1 only. */
  async #tcpPort(): Promise<number> {
    const file = path.join(this.layout.root, "port");
    if (existsSync(file)) return Number(readFileSync(file, "utf8").trim());
    const port = await freeLoopbackPort();
    writeFileSync(file, `${port}\n`);
    return port;
  }

  #trimLog(): void {
    if (this.#logSize() > MAX_LOG_BYTES) rmSync(this.layout.log, { force: true });
  }

  #logSize(): number {
    try {
      return statSync(this.layout.log).size;
    } catch {
      return 0;
    }
  }

  #logSince(offset: number): string {
    try {
      return readFileSync(this.layout.log).subarray(offset).toString("utf8");
    } catch {
      return "";
    }
  }
}

async function waitUntil(done: () => boolean, deadline: number, what: string): Promise<void> {
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
