import { fileURLToPath } from "node:url";

/** What `npm run bench` does, from the environment; every default is the full run's. */
export interface Settings {
  /** Seconds of each measured step (BENCH_SECONDS, default 10). */
  seconds: number;
  /** Concurrent connections of each step (BENCH_CONNECTIONS, default "10,50"). */
  connections: number[];
  /** A PostgreSQL database to connect to for creating the throwaway ones (BENCH_DATABASE_URL). */
  adminUrl: string;
  /** Users seeded by SQL before the list and read steps (BENCH_SEED_USERS, default 100000). */
  seedUsers: number;
  /** Messages queued for the delivery step (BENCH_DELIVERY_MESSAGES, default 10000). */
  deliveryMessages: number;
  /** Rounds of the delivery step, each timing 1 and 2 processes (BENCH_DELIVERY_ROUNDS, default 5). */
  deliveryRounds: number;
  /** Rows of the benchmark's invite job (BENCH_INVITE_ROWS). */
  inviteJobRows: number;
  /** USHER_MAIL_RATE of the invite job run with mail (BENCH_INVITE_MAIL_RATE). */
  inviteJobMailRate: number;
  /** The phases to run (BENCH_ONLY, comma-separated; default all). */
  phases: Set<Phase>;
  /** Where results.json and RESULTS.md go (BENCH_OUT, default bench/). */
  outDir: string;
  /** Only these hot operations, as `op` or `op:surface` (BENCH_OPS; default all). */
  ops: string[] | undefined;
  /** The operations to profile, as `op:surface` (BENCH_PROFILE; default resend-invite:REST and the slowest other). */
  profile: Array<[string, string]> | undefined;
}

export const PHASES = [
  "postgres",
  "ceilings",
  "workers",
  "profile",
  "peer",
  "delivery",
  "webhooks",
  "embedded",
  "console",
  "invite-jobs",
] as const;
export type Phase = (typeof PHASES)[number];

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const seconds = Number(env.BENCH_SECONDS ?? 10);
  if (!(seconds > 0 && seconds <= 120)) throw new Error("BENCH_SECONDS must be between 0 and 120");
  const connections = (env.BENCH_CONNECTIONS ?? "10,50").split(",").map(Number);
  if (connections.some((c) => !Number.isInteger(c) || c < 1 || c > 500))
    throw new Error("BENCH_CONNECTIONS must be whole numbers from 1 to 500");
  const deliveryRounds = Number(env.BENCH_DELIVERY_ROUNDS ?? 5);
  if (!(Number.isInteger(deliveryRounds) && deliveryRounds >= 1 && deliveryRounds <= 20))
    throw new Error("BENCH_DELIVERY_ROUNDS must be a whole number from 1 to 20");
  const only = env.BENCH_ONLY ? env.BENCH_ONLY.split(",").map((s) => s.trim()) : [...PHASES];
  for (const p of only) if (!PHASES.includes(p as Phase)) throw new Error(`BENCH_ONLY: unknown phase ${p}`);
  return {
    seconds,
    connections,
    adminUrl: env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    seedUsers: Number(env.BENCH_SEED_USERS ?? 100_000),
    deliveryMessages: Number(env.BENCH_DELIVERY_MESSAGES ?? 10_000),
    deliveryRounds,
    inviteJobRows: Number(env.BENCH_INVITE_ROWS ?? 10_000),
    inviteJobMailRate: Number(env.BENCH_INVITE_MAIL_RATE ?? 200),
    phases: new Set(only as Phase[]),
    ops: env.BENCH_OPS ? env.BENCH_OPS.split(",").map((s) => s.trim()) : undefined,
    profile: env.BENCH_PROFILE ? env.BENCH_PROFILE.split(",").map(profileTarget) : undefined,
    outDir: env.BENCH_OUT ?? fileURLToPath(new URL("..", import.meta.url)),
  };
}

function profileTarget(entry: string): [string, string] {
  const [op, surface, extra] = entry.trim().split(":");
  if (!op || !surface || extra !== undefined) throw new Error(`BENCH_PROFILE: "${entry}" is not op:surface`);
  return [op, surface];
}
