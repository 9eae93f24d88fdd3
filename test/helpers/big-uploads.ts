import http2 from "node:http2";
import net from "node:net";

/** One large upload: what the server answered (if it did before closing) and what was sent. */
export interface Upload {
  /** The HTTP status, or undefined when the connection or stream ended without an answer. */
  status: number | undefined;
  /** What the server wrote (HTTP/1.1: the raw bytes; HTTP/2: headers and trailers). */
  received: string;
  /** Body bytes the client handed to its socket (the kernel may not have delivered them all). */
  sent: number;
  timedOut: boolean;
  /** HTTP/2: the code of the RST_STREAM that ended the stream (0 NO_ERROR, 8 CANCEL), if one did. */
  resetCode?: number | undefined;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/**
 * POSTs a body of `size` bytes over HTTP/1.1 — with Content-Length, or chunked — and keeps
 * sending until the server answers and closes, the body is sent, or `timeoutMs` passes.
 * A small body (up to 64 KiB) asks for `connection: close`, so that its answer ends it.
 */
export function uploadHttp1(
  port: number,
  path: string,
  headers: Record<string, string>,
  options: { size: number; chunked: boolean; timeoutMs: number },
): Promise<Upload> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const result: Upload = { status: undefined, received: "", sent: 0, timedOut: false };
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
    lines.push(options.chunked ? "transfer-encoding: chunked" : `content-length: ${options.size}`);
    const timer = setTimeout(() => {
      result.timedOut = true;
      socket.destroy();
    }, options.timeoutMs);
    socket.on("error", () => {});
    socket.on("data", (d) => {
      result.received += d.toString("latin1");
      result.status ??= Number(/^HTTP\/1\.1 (\d{3})/.exec(result.received)?.[1]) || undefined;
    });
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(result);
    });
    const pump = () => {
      while (!socket.destroyed && result.sent < options.size) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, options.size - result.sent));
        result.sent += piece.length;
        const framed = options.chunked
          ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")])
          : piece;
        if (!socket.write(framed)) return void socket.once("drain", pump);
      }
      if (!socket.destroyed && options.chunked) socket.write("0\r\n\r\n");
    };
    socket.once("connect", () => {
      const close = options.size <= CHUNK.length ? "connection: close\r\n" : "";
      socket.write(`POST ${path} HTTP/1.1\r\nhost: usher\r\n${close}${lines.join("\r\n")}\r\n\r\n`);
      pump();
    });
  });
}

/** The same over HTTP/2, one connection per upload (gRPC, Connect over h2). */
export function uploadHttp2(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  options: { size: number; timeoutMs: number },
): Promise<Upload> {
  return new Promise((resolve) => {
    const session = http2.connect(baseUrl);
    session.on("error", () => {});
    const result: Upload = { status: undefined, received: "", sent: 0, timedOut: false };
    const stream = session.request({ ":method": "POST", ":path": path, ...headers });
    const timer = setTimeout(() => {
      result.timedOut = true;
      session.destroy();
    }, options.timeoutMs);
    stream.on("error", () => {});
    stream.on("response", (h) => {
      result.status = Number(h[":status"]);
      result.received += JSON.stringify(h);
    });
    stream.on("trailers", (t) => {
      result.received += JSON.stringify(t);
    });
    stream.resume();
    stream.once("close", () => {
      clearTimeout(timer);
      result.resetCode = stream.rstCode;
      session.destroy();
      resolve(result);
    });
    const pump = () => {
      while (!stream.destroyed && !stream.closed && result.sent < options.size) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, options.size - result.sent));
        result.sent += piece.length;
        if (!stream.write(piece)) return void stream.once("drain", pump);
      }
      if (!stream.destroyed && !stream.closed) stream.end();
    };
    pump();
  });
}
