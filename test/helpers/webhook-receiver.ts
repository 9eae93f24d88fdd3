import http from "node:http";
import type { AddressInfo } from "node:net";

/** One call a receiver got: its headers and the raw body, exactly as sent. */
export interface ReceivedCall {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** When the whole request had arrived, and when it was answered, if it was (performance.now()). */
  arrivedAt: number;
  answeredAt?: number;
}

/**
 * A test application's webhook endpoint on loopback: keeps every call, answers `status()`
 * (200 unless told otherwise), and can be closed and reopened on the same port (an outage).
 */
export interface WebhookReceiver {
  url: string;
  calls: ReceivedCall[];
  /** The answer from now on. */
  answer(status: number): void;
  /** Resolves once `predicate` holds for the calls, or rejects after `timeoutMs`. */
  waitFor(predicate: (calls: ReceivedCall[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Stops listening (connections refused) until `reopen`. */
  down(): Promise<void>;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** `delayMs`: how long each answer takes (the call is kept when it arrives). */
export async function startWebhookReceiver(port = 0, delayMs = 0): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  let status = 200;
  const make = () =>
    http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const s = status;
        const call: ReceivedCall = {
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          arrivedAt: performance.now(),
        };
        if (s >= 200 && s < 300) calls.push(call);
        const answer = () => {
          // A call cut off by `down()` was never answered.
          if (!res.socket || res.socket.destroyed) return;
          call.answeredAt = performance.now();
          res.writeHead(s, { "content-type": "text/plain" }).end(s < 300 ? "ok" : "receiver says no");
        };
        if (delayMs > 0) setTimeout(answer, delayMs);
        else answer();
      });
    });
  let server = make();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const actual = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return {
    url: `http://127.0.0.1:${actual}/hook`,
    calls,
    answer(s) {
      status = s;
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(calls)) {
        if (Date.now() > deadline)
          throw new Error(`receiver: condition not met; ${calls.length} calls so far`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    down: close,
    async reopen() {
      server = make();
      await new Promise<void>((r) => server.listen(actual, "127.0.0.1", r));
    },
    close,
  };
}
