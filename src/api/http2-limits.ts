import http2 from "node:http2";

/** How long a closing session may take over its GOAWAY before it is destroyed. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Closes an HTTP/2 connection that has no open stream for too long: `firstStreamMs` after it
 * started if it never opened one (a silent client), `idleMs` after its last stream closed.
 * Closing sends GOAWAY; a session that does not finish closing is destroyed shortly after.
 * Node's own session timeout counts any frame (a PING) as activity, so it cannot do this.
 */
export function closeIdleSession(session: http2.ServerHttp2Session, firstStreamMs: number, idleMs: number) {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(() => {
      if (session.closed || session.destroyed) return;
      session.close();
      setTimeout(() => {
        if (!session.destroyed) session.destroy();
      }, CLOSE_GRACE_MS).unref();
    }, ms);
    timer.unref();
  };
  arm(firstStreamMs);
  session.on("stream", (stream: http2.ServerHttp2Stream) => {
    open++;
    clearTimeout(timer);
    stream.once("close", () => {
      open--;
      if (open === 0 && !session.closed && !session.destroyed) arm(idleMs);
    });
  });
  session.once("close", () => clearTimeout(timer));
}

/**
 * Resets a stream whose request has not fully arrived (the client has not ended its side)
 * `ms` after it opened, as HTTP/1.1's request timeout does. A request that has arrived is never
 * cut: how long its handler takes is not the client's doing.
 */
export function limitStreamRequestTime(stream: http2.ServerHttp2Stream, ms: number): void {
  const timer = setTimeout(() => {
    if (!stream.closed && !stream.destroyed && !remoteEnded(stream))
      stream.close(http2.constants.NGHTTP2_CANCEL);
  }, ms);
  timer.unref();
  stream.once("close", () => clearTimeout(timer));
}

/** Whether the client ended its side of the stream (sent END_STREAM), read or not. */
export function remoteEnded(stream: http2.Http2Stream): boolean {
  return stream.state.remoteClose === 1;
}
