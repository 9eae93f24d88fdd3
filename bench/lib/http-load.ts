import autocannon from "autocannon";
import { Latencies, type LoadResult, sampleError } from "./load-result.ts";

/** One request of an HTTP step: its path and body, and what to do with a 2xx answer. */
export interface HttpRequest {
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Called with the body of a 2xx answer (e.g. to keep the id it created). */
  onOk?: (body: string, headers: Record<string, string | string[]>) => void;
}

export interface HttpStep {
  baseUrl: string;
  method: "GET" | "POST";
  connections: number;
  seconds: number;
  /** Headers of every request. */
  headers?: Record<string, string>;
  /** The next request; undefined when the supply of targets is used up. */
  next: () => HttpRequest;
  /** Stop after this many requests (targets that can be used only once). */
  maxRequests?: number | undefined;
}

/**
 * Runs one HTTP/1.1 load step with autocannon: `connections` keep-alive connections, one
 * request in flight on each, for `seconds` (or until `maxRequests`). Latencies are taken
 * from autocannon's per-response timings (sub-millisecond).
 */
export async function httpLoad(step: HttpStep): Promise<LoadResult> {
  const latencies = new Latencies();
  const samples: string[] = [];
  let ok = 0;
  let failed = 0;
  const maxRequests =
    step.maxRequests === undefined ? undefined : Math.max(step.connections, Math.floor(step.maxRequests));
  const started = performance.now();
  let finish: (r: autocannon.Result) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: step.baseUrl,
      connections: step.connections,
      pipelining: 1,
      duration: step.seconds,
      timeout: 10,
      maxOverallRequests: maxRequests,
      headers: { "content-type": "application/json", ...step.headers },
      requests: [
        {
          method: step.method,
          setupRequest(req: Record<string, unknown>, context: Record<string, unknown>) {
            const r = step.next();
            context.request = r;
            req.path = r.path;
            req.body = r.body;
            if (r.headers) req.headers = { ...(req.headers as Record<string, string>), ...r.headers };
            return req;
          },
          onResponse(status: number, body: string, context: Record<string, unknown>, headers: unknown) {
            const r = context.request as HttpRequest | undefined;
            if (status >= 200 && status < 300) {
              ok++;
              r?.onOk?.(body, (headers ?? {}) as Record<string, string | string[]>);
            } else {
              failed++;
              sampleError(samples, `${status} ${r?.path ?? ""} ${body}`);
            }
          },
        } as never,
      ],
    },
    (err: unknown, result: autocannon.Result) => (err ? fail(err) : finish(result)),
  );
  instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) =>
    latencies.add(ms),
  );
  instance.on("reqError", (e: Error) => sampleError(samples, `request error: ${e.message}`));
  const result = await done;
  const seconds = Math.min(result.duration, (performance.now() - started) / 1000);
  // autocannon counts timeouts among its (connection) errors.
  const errors = failed + result.errors;
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
