import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { addressOf, ConnectionCaps, type Refusal, refuseConnection } from "./connection-caps.ts";
import type { Req, Res } from "./http/io.ts";
import { closeIdleSession, limitStreamRequestTime } from "./http2-limits.ts";
import { dropUnreadBody } from "./unread-body.ts";

const H2_PREFACE_START = Buffer.from("PRI ");

/** The time limits and caps of the listener (milliseconds and counts; see the configuration). */
export interface ListenerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  http2MaxStreams: number;
  /** Told of each connection refused for a cap (its caller logs and counts). */
  onRefused?: (reason: Refusal, address: string) => void;
}

/**
 * One TCP listener for HTTP/1.1 and cleartext HTTP/2 (gRPC needs h2c): the first bytes of a
 * connection decide which server gets the socket. No HTTP/1 method starts with `PRI `.
 * Every stage has a time limit: the first bytes and the headers (`headersTimeoutMs`), the whole
 * request (`requestTimeoutMs`), idle keep-alive connections and HTTP/2 sessions without streams
 * (`keepAliveTimeoutMs`); and connections are capped in total and per client address.
 */
export function createOnePortServer(handler: (req: Req, res: Res) => void, limits: ListenerLimits) {
  const handle = (req: Req, res: Res) => {
    dropUnreadBody(req, res);
    handler(req, res);
  };
  const h1 = http.createServer(
    {
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node looks for connections past those two limits (its default is 30 s).
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, limits.headersTimeoutMs / 4)),
    },
    handle,
  );
  // Node starts its header and request timeout checks when its server emits 'listening'. This
  // one never listens (the listener below hands it sockets), so they would never run.
  h1.emit("listening");
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: limits.http2MaxStreams } }, handle);
  h2.on("session", (session: http2.ServerHttp2Session) =>
    closeIdleSession(session, limits.headersTimeoutMs, limits.keepAliveTimeoutMs),
  );
  h2.on("stream", (stream: http2.ServerHttp2Stream) =>
    limitStreamRequestTime(stream, limits.requestTimeoutMs),
  );

  const caps = new ConnectionCaps(limits.maxConnections, limits.maxConnectionsPerAddress);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const address = addressOf(socket);
    const refused = caps.admit(address);
    if (refused) {
      limits.onRefused?.(refused, address);
      return refuseConnection(socket);
    }
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      caps.release(address);
    });
    // A connection that never says anything is closed; the servers time what follows.
    const silent = setTimeout(() => socket.destroy(), limits.headersTimeoutMs);
    socket.once("error", () => clearTimeout(silent));
    socket.once("data", (first) => {
      clearTimeout(silent);
      socket.pause();
      socket.unshift(first);
      const isH2 = first.subarray(0, 4).equals(H2_PREFACE_START);
      // http2 reads what was put back from the paused socket; http/1 needs it flowing again.
      if (isH2) h2.emit("connection", socket);
      else {
        h1.emit("connection", socket);
        socket.resume();
      }
    });
    socket.once("close", () => clearTimeout(silent));
  });
  return {
    server,
    /** Connections open now. */
    get connections(): number {
      return caps.open;
    },
    listen(port: number, host: string): Promise<net.AddressInfo> {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve(server.address() as net.AddressInfo));
      });
    },
    /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes the rest. */
    async close(graceMs = 10_000): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Also stops the header and request timeout checks started above.
      h1.close();
      for (const s of sockets) {
        // HTTP/2 sessions get a GOAWAY through the http2 server's close; idle h1 sockets end now.
        if (!s.writableLength) s.end();
      }
      h2.close();
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, graceMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
