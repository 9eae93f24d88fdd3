import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { Req, Res } from "./http/io.ts";

const H2_PREFACE_START = Buffer.from("PRI ");

/**
 * One TCP listener for HTTP/1.1 and cleartext HTTP/2 (gRPC needs h2c): the first bytes of a
 * connection decide which server gets the socket. No HTTP/1 method starts with `PRI `.
 */
export function createOnePortServer(handler: (req: Req, res: Res) => void) {
  const h1 = http.createServer({ keepAliveTimeout: 65_000 }, handler);
  const h2 = http2.createServer({}, handler);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.once("data", (first) => {
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
  });
  return {
    server,
    listen(port: number, host: string): Promise<net.AddressInfo> {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve(server.address() as net.AddressInfo));
      });
    },
    /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes the rest. */
    async close(graceMs = 10_000): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      h1.closeIdleConnections();
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
