import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type Server, startServer } from "./spawn.ts";

/** Where Node writes a diagnostic report when a Usher process dies of a fatal error. */
export const REPORT_DIR = path.join(os.tmpdir(), "usher-bench-reports");

/** The JavaScript stack of the diagnostic report a fatal error of process `pid` left, if any. */
export function fatalReport(pid: number): { file: string; message: string; stack: string[] } | undefined {
  if (!existsSync(REPORT_DIR)) return undefined;
  const name = readdirSync(REPORT_DIR).find((f) => f.includes(`.${pid}.`) && f.endsWith(".json"));
  if (!name) return undefined;
  const file = path.join(REPORT_DIR, name);
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    javascriptStack?: { message?: string; stack?: string[] };
  };
  return {
    file,
    message: report.javascriptStack?.message ?? "",
    stack: (report.javascriptStack?.stack ?? []).slice(0, 12),
  };
}

/**
 * Extra Node flags of every Usher process (BENCH_USHER_NODE_FLAGS, space-separated; none by
 * default, so the benchmark measures Usher as shipped — `bin/usher.js` sets the V8 flags it
 * needs itself).
 */
export const USHER_NODE_FLAGS = (process.env.BENCH_USHER_NODE_FLAGS ?? "").split(" ").filter(Boolean);

/**
 * Extra settings of every Usher process (BENCH_USHER_ENV, space-separated `KEY=value` pairs; none
 * by default), e.g. `BENCH_USHER_ENV="USHER_DELIVERY_CONCURRENCY=64"` to compare a setting.
 */
export const USHER_ENV: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_USHER_ENV ?? "")
    .split(" ")
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
);

/** The master key of every Usher the benchmark starts (the delivery step seals codes with it). */
export const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString("base64");

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface UsherOptions {
  name?: string;
  /** PostgreSQL URL; PGlite in `dataDir` when absent. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** `--workers N`. */
  workers?: number;
  /** Write a V8 CPU profile into this folder on exit (`node --cpu-prof`). */
  cpuProfDir?: string;
  /** Deliver by SMTP to this URL instead of the dev mailbox. */
  smtpUrl?: string | undefined;
  /** More environment (e.g. USHER_MAIL_RATE). */
  env?: Record<string, string>;
}

/**
 * Starts `node bin/usher.js start` as its own process, as an operator would: throttling off
 * (the steps call the same users again), warnings only in the log, the bench master key.
 */
export async function startUsher(o: UsherOptions): Promise<Server> {
  const port = await freePort();
  const env: Record<string, string> = {
    USHER_PORT: String(port),
    USHER_HOST: "127.0.0.1",
    USHER_DATA_DIR: o.dataDir,
    USHER_MASTER_KEY: BENCH_MASTER_KEY,
    USHER_THROTTLE_ENABLED: "false",
    USHER_LOG_LEVEL: "warn",
    USHER_MAIL_PROVIDER: o.smtpUrl ? "smtp" : "mailbox",
  };
  if (o.smtpUrl) env.USHER_SMTP_URL = o.smtpUrl;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  Object.assign(env, USHER_ENV, o.env);
  // A fatal V8 error writes a diagnostic report with the JavaScript stack (see fatalReport).
  const nodeFlags = ["--report-on-fatalerror", `--report-directory=${REPORT_DIR}`];
  if (o.cpuProfDir) nodeFlags.push("--cpu-prof", `--cpu-prof-dir=${o.cpuProfDir}`);
  nodeFlags.push(...USHER_NODE_FLAGS);
  const workers = o.workers && o.workers > 1 ? ["--workers", String(o.workers)] : [];
  return startServer({
    name: o.name ?? "usher",
    args: [...nodeFlags, "bin/usher.js", "start", ...workers],
    env,
    port,
    timeoutMs: 120_000,
  });
}

/** The admin token the first start wrote. */
export function adminToken(dataDir: string): string {
  return readFileSync(path.join(dataDir, "admin.pat"), "utf8").trim();
}

/** A JSON call for set-up work (not measured); throws on a non-2xx answer. */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  urlPath: string,
  o: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json", ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const res = await fetch(baseUrl + urlPath, {
    method,
    headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** Reads `usher_outbox_queued` (messages queued or being sent) from `/metrics`. */
export async function outboxBacklog(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/^usher_outbox_queued (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/** Waits (at most `ms`) until the delivery worker has emptied the outbox; returns the backlog left. */
export async function drainOutbox(baseUrl: string, ms = 30_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = await outboxBacklog(baseUrl);
    if (!(left > 0) || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 250));
  }
}
