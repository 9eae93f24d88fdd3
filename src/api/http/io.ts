import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

export type Req = IncomingMessage | Http2ServerRequest;
export type Res = ServerResponse | Http2ServerResponse;

/** Thrown when a body exceeds its limit; surfaces map it to 413. */
export class BodyTooLarge extends Error {}

/** Reads the whole request body, refusing more than `limit` bytes. */
export async function readBody(req: Req, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
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
