import type { Logger } from "pino";
import type { Counter } from "prom-client";
import type { Refusal } from "./connection-caps.ts";

/**
 * Counts every refused connection, and logs them once rather than once each (a flood would
 * flood the log too): the first at once, then at most one line per `intervalMs` with how many
 * were refused since the last line.
 */
export function refusalReporter(log: Logger, counter: Counter<"reason">, intervalMs = 60_000) {
  let loggedAt = Number.NEGATIVE_INFINITY;
  let unlogged = 0;
  return (reason: Refusal, address: string): void => {
    counter.inc({ reason });
    const now = Date.now();
    if (now - loggedAt < intervalMs) {
      unlogged++;
      return;
    }
    log.warn(
      { reason, address, refusedSinceLastLine: unlogged },
      "connection refused: too many connections (503); logged at most once a minute",
    );
    loggedAt = now;
    unlogged = 0;
  };
}
