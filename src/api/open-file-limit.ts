import { readFileSync } from "node:fs";

/** The process's open-file limit (soft), from `/proc/self/limits`; undefined where unreadable. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The connection cap that fits the open-file limit: every connection holds a descriptor, and
 * the database pool, the log and the files Usher reads need some too (a tenth, at least 64).
 * Past the limit `accept` fails and `/healthz` stops answering; at the cap Usher answers 503.
 */
export function fittingConnectionCap(configured: number, fileLimit: number | undefined): number {
  if (fileLimit === undefined) return configured;
  const reserve = Math.max(64, Math.ceil(fileLimit / 10));
  return Math.max(1, Math.min(configured, fileLimit - reserve));
}
