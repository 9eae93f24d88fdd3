import type { IncomingMessage } from "node:http";
import http2 from "node:http2";
import type { Req, Res } from "./http/io.ts";
import { remoteEnded } from "./http2-limits.ts";

/**
 * When a response is complete but its request's body has not all arrived (a surface refused it
 * early: too large, no credential), the rest is not read. Node would drain an HTTP/1.1 body to
 * keep the connection; here the connection is closed instead. On HTTP/2 the stream is reset
 * with NO_ERROR, which RFC 9113 §8.1 provides for exactly this: the client stops sending and
 * keeps the response.
 */
export function dropUnreadBody(req: Req, res: Res): void {
  res.once("finish", () => {
    if ("stream" in req) {
      const stream = req.stream;
      if (!stream.closed && !stream.destroyed && !remoteEnded(stream))
        stream.close(http2.constants.NGHTTP2_NO_ERROR);
      return;
    }
    const h1 = req as IncomingMessage;
    if (h1.complete) return;
    const socket = h1.socket;
    // After the queued response is written: end, then destroy (unread input would otherwise
    // keep a half-closed socket reading).
    socket.end();
    if (socket.writableFinished) socket.destroy();
    else socket.once("finish", () => socket.destroy());
  });
}
