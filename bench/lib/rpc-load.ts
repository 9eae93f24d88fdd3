import { Latencies, type LoadResult, sampleError } from "./load-result.ts";

export interface RpcStep<C, T> {
  connections: number;
  seconds: number;
  /** A client with a connection of its own (one per simulated connection). */
  client: () => C;
  /** The next target; undefined when the supply is used up. */
  next: () => T | undefined;
  /** One call; its resolved value goes to `onOk`. */
  call: (client: C, target: T) => Promise<unknown>;
  onOk?: (target: T, response: unknown) => void;
  close?: (client: C) => void;
}

/**
 * A closed-loop load of RPCs (autocannon speaks HTTP/1 only): `connections` clients, each
 * with its own HTTP/2 connection and one call in flight, until `seconds` pass or the targets
 * run out.
 */
export async function rpcLoad<C, T>(step: RpcStep<C, T>): Promise<LoadResult> {
  const latencies = new Latencies();
  const samples: string[] = [];
  let ok = 0;
  let errors = 0;
  const clients = Array.from({ length: step.connections }, () => step.client());
  const started = performance.now();
  const deadline = started + step.seconds * 1000;
  let last = started;
  await Promise.all(
    clients.map(async (client) => {
      for (;;) {
        if (performance.now() >= deadline) return;
        const target = step.next();
        if (target === undefined) return;
        const t0 = performance.now();
        try {
          const response = await step.call(client, target);
          ok++;
          step.onOk?.(target, response);
        } catch (e) {
          errors++;
          sampleError(samples, e instanceof Error ? e.message : String(e));
        }
        const t1 = performance.now();
        latencies.add(t1 - t0);
        last = Math.max(last, t1);
      }
    }),
  );
  for (const c of clients) step.close?.(c);
  const seconds = (last - started) / 1000;
  return {
    seconds,
    ok,
    errors,
    rps: ok / seconds,
    p50: latencies.percentile(50),
    p99: latencies.percentile(99),
    errorSamples: samples,
  };
}
