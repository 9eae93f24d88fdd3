import type { ServerResponse } from "node:http";
import { Code, ConnectError, type ContextValues } from "@connectrpc/connect";
import type { UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";
import type { Req, Res } from "../http/io.ts";

/**
 * The Node side of ConnectRPC's universal handlers, for unary calls: what connect-node's
 * `universalRequestFromNodeRequest` and `universalResponseToNodeResponse` do, without the
 * per-call costs a unary call does not need: a second `Headers` built from the same header
 * object, a `URL` parsed, an abort signal aborted on every normal close (each abort builds a
 * `DOMException` with its stack), the body read through two async iterators, and the answer
 * written chunk by chunk with listeners added and removed per write. With the database left
 * out, a gRPC call cost 35–40 % less CPU through this glue than through connect-node's.
 * (Usher listens without TLS, so the request's URL is always `http:`.)
 */

/**
 * The universal request of a Node request. `header` is the request's headers, already built
 * for the credential check. The signal aborts only when the stream or connection closes before
 * the answer was complete (the client went away): ConnectRPC links it to the handler's signal.
 */
export function universalRequest(
  req: Req,
  res: Res,
  header: Headers,
  body: AsyncIterable<Uint8Array>,
  contextValues: ContextValues,
): UniversalServerRequest & { answered: () => void } {
  const controller = new AbortController();
  let answered = false;
  res.once("close", () => {
    if (!answered) controller.abort();
  });
  const authority = "authority" in req ? req.authority : req.headers.host;
  return {
    httpVersion: req.httpVersion,
    method: req.method ?? "",
    url: `http://${authority ?? "localhost"}${req.url ?? ""}`,
    header,
    body,
    signal: controller.signal,
    contextValues,
    answered: () => {
      answered = true;
    },
  };
}

/**
 * Writes a unary call's universal response: its whole body (one message, or an error) is
 * collected, then status, headers, body and trailers go out in one `end`.
 */
export async function writeUnaryResponse(response: UniversalServerResponse, res: Res): Promise<void> {
  const chunks: Uint8Array[] = [];
  if (response.body) for await (const chunk of response.body) chunks.push(chunk);
  (res as ServerResponse).writeHead(response.status, nodeHeaders(response.header));
  if (response.trailer) res.addTrailers(nodeHeaders(response.trailer) ?? {});
  const [first, ...rest] = chunks;
  if (first === undefined) res.end();
  else res.end(rest.length === 0 ? first : Buffer.concat(chunks));
}

function nodeHeaders(header: Headers | undefined): Record<string, string> | undefined {
  if (header === undefined) return undefined;
  const out: Record<string, string> = {};
  header.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/**
 * The body of a request as ConnectRPC reads it: one chunk when the whole body arrived within
 * `limit` bytes (a unary message and its envelope), else the bytes read so far followed by the
 * rest of the stream, so ConnectRPC answers an oversized message exactly as it would have.
 */
export async function requestBody(req: Req, limit: number): Promise<AsyncIterable<Uint8Array>> {
  if (Number(req.headers["content-length"]) > limit) return rest(req, []);
  const chunks: Buffer[] = [];
  let size = 0;
  const complete = await new Promise<boolean>((resolve, reject) => {
    const detach = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      detach();
      req.pause();
      resolve(false);
    };
    const onEnd = () => {
      detach();
      resolve(true);
    };
    const onError = (e: Error) => {
      detach();
      reject(e);
    };
    const onClose = () => {
      detach();
      reject(new ConnectError("the request was aborted before its body ended", Code.Aborted));
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.once("close", onClose);
  });
  if (complete) return once(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
  return rest(req, chunks);
}

/** The chunks already read, then the rest of the request as it arrives. */
async function* rest(req: Req, read: Buffer[]): AsyncIterable<Uint8Array> {
  yield* read;
  // Not the default iterator, which destroys the request (and an HTTP/1.1 socket with it)
  // when ConnectRPC stops reading at its limit, before the answer could be written.
  yield* req.iterator({ destroyOnReturn: false });
}

/** An async iterable of one chunk, without an async generator's per-step promises. */
export function once(chunk: Uint8Array): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      let done = false;
      return {
        next: () => {
          if (done) return Promise.resolve({ done: true, value: undefined });
          done = true;
          return Promise.resolve({ done: false, value: chunk });
        },
        return: () => {
          done = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}
