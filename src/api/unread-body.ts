import type { IncomingMessage } from "node:http";
import http2, { type Http2ServerRequest } from "node:http2";
import type { Socket } from "node:net";
import type { Req, Res } from "./http/io.ts";
import { remoteEnded } from "./http2-limits.ts";

/**
 * When a response is complete but its request's body has not all arrived (a surface refused it
 * early: too large, no credential), the rest is not read. Node would drain an HTTP/1.1 body to
 * keep the connection; here the connection is closed instead, without reading on. On HTTP/2 the
 * stream is reset with NO_ERROR, which RFC 9113 §8.1 provides for exactly this: the client stops
 * sending and keeps the response.
 */
export function dropUnreadBody(req: Req, res: Res): void {
  if ("stream" in req) {
    resetUnreadStream(req);
    return;
  }
  res.once("finish", () => {
    const h1 = req as IncomingMessage;
    // A small declared rest is drained as Node does, keeping the connection: closing it would
    // cost the client's next request on a kept-alive connection, as an unauthenticated call
    // with a small body does on every retry.
    if (h1.complete || Number(h1.headers["content-length"]) <= DRAIN_MAX_BYTES) return;
    lingerWithoutReading(h1.socket);
  });
}

/**
 * Resets an HTTP/2 stream whose response is complete while the client is still sending, then
 * lets its request end. Node's compatibility layer ends a response with a body with trailers
 * (empty ones too), sent from its own `wantTrailers` listener; this one runs after it, so the
 * reset follows the trailers. A response whose headers ended the stream sends none: its local
 * side is closed just after `finish`. (Node resets such a stream by itself only when nothing of
 * the body was read and no trailers are sent; a surface that read part of a body and refused
 * the rest left it open until the request timeout cancelled it.) The request, paused where the
 * surface refused it, is resumed: what arrived before the reset is dropped, the stream ends and
 * closes.
 */
function resetUnreadStream(req: Http2ServerRequest): void {
  const stream = req.stream;
  let settled = false;
  const settle = () => {
    if (settled || stream.closed || stream.destroyed) return;
    settled = true;
    if (!remoteEnded(stream)) stream.close(http2.constants.NGHTTP2_NO_ERROR);
    req.resume();
  };
  stream.once("wantTrailers", () => setImmediate(settle));
  stream.once("finish", () =>
    setImmediate(() => {
      if (stream.state.localClose === 1) settle();
    }),
  );
}

/** The most of a refused HTTP/1.1 body that is read to keep its connection alive. */
const DRAIN_MAX_BYTES = 64 * 1024;

/** How long a closing connection waits, not reading, for the client to take the answer. */
const LINGER_MS = 2_000;

/**
 * Ends the connection after the answer and stops reading it, then destroys it once the client
 * closed or after `LINGER_MS`. Destroying at once would make the kernel answer the unread
 * bytes with a reset, which often costs the client the answer before it read it; not reading
 * leaves what the client still sends to the kernel's buffers and the closed TCP window.
 */
function lingerWithoutReading(socket: Socket): void {
  socket.end();
  // Node resumes the socket to drain the body after the answer (its 'finish' handler runs
  // first, its resume a tick later): pause now and again on each resume.
  socket.pause();
  socket.on("resume", () => socket.pause());
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once("close", () => clearTimeout(cut));
}
