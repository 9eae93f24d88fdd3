import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

export type Req = IncomingMessage | Http2ServerRequest;
export type Res = ServerResponse | Http2ServerResponse;

/** Thrown when a body exceeds its limit; surfaces map it to 413. */
export class BodyTooLarge extends Error {}

/** Whether a request declares a body larger than `limit` (refuse it before any other work). */
export function declaresTooLarge(req: Req, limit: number): boolean {
  return Number(req.headers["content-length"]) > limit;
}

/**
 * Reads the whole request body, refusing more than `limit` bytes: at once when the declared
 * `Content-Length` is larger, else as soon as the bytes read pass it. A refused body is left
 * unread (not drained); the listener closes the connection or stream after the answer.
 */
export function readBody(req: Req, limit: number): Promise<Buffer> {
  if (declaresTooLarge(req, limit)) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settle();
      req.pause();
      reject(tooLarge(limit));
    };
    const onEnd = () => {
      settle();
      resolve(Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      settle();
      reject(e);
    };
    const onClose = () => {
      settle();
      reject(new Error("the request was aborted before its body ended"));
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.once("close", onClose);
  });
}

function tooLarge(limit: number): BodyTooLarge {
  return new BodyTooLarge(`request body is larger than ${limit} bytes`);
}

export function sendJson(
  res: Res,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  (res as ServerResponse).writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const STRICT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'";

export function sendHtml(res: Res, status: number, html: string, csp: string = STRICT_CSP): void {
  (res as ServerResponse).writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
  });
  res.end(html);
}

/** Node's header object as a fetch `Headers` (what handlers and Connect use). */
export function toHeaders(req: Req): Headers {
  const h = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) h.append(name, v);
    else h.set(name, String(value));
  }
  return h;
}
