import type { Http2ServerResponse } from "node:http2";
import {
  Code,
  type ConnectRouter,
  createConnectRouter,
  createContextKey,
  createContextValues,
} from "@connectrpc/connect";
import {
  compressionBrotli,
  compressionGzip,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { Caller } from "../../authz/caller.ts";
import { type Req, type Res, readBody, toHeaders } from "../http/io.ts";
import { requestBody, universalRequest, writeUnaryResponse } from "./connect-node-io.ts";

/** The token check started before ConnectRPC read anything; the invoker awaits it. */
export const AUTHENTICATED = createContextKey<Promise<Caller> | undefined>(undefined);

/**
 * ConnectRPC (gRPC, gRPC-Web, Connect) on Node, like `connectNodeAdapter` but with the
 * credential checked before the body is read: ConnectRPC reads and parses the whole message
 * before any interceptor or handler runs. When the token is missing or invalid the body is not
 * read at all: ConnectRPC is handed an empty message of the request's own encoding instead, and
 * the invoker then answers the failed check, in that protocol, as it would have.
 * Messages larger than `readMaxBytes` are refused (by Content-Length before reading, or as the
 * bytes arrive); a body left unread is not drained (see `unread-body.ts`).
 */
export function connectAdapter(options: {
  routes: (router: ConnectRouter) => void;
  authenticate: (headers: Headers) => Promise<Caller>;
  readMaxBytes: number;
  onFailure: (e: unknown) => void;
}) {
  const router = createConnectRouter({
    readMaxBytes: options.readMaxBytes,
    acceptCompression: [compressionGzip, compressionBrotli],
  });
  options.routes(router);
  const paths = new Map(router.handlers.map((h) => [h.requestPath, h]));

  return async function handle(req: Req, res: Res): Promise<void> {
    const handler = paths.get((req.url ?? "").split("?", 1)[0] ?? "");
    if (!handler) return unknownProcedure(req, res);
    const header = toHeaders(req);
    const authenticated = options.authenticate(header);
    const trusted = await authenticated.then(
      () => true,
      () => false,
    );
    const unary = handler.method.methodKind === "unary";
    try {
      let body: AsyncIterable<Uint8Array>;
      if (!trusted) {
        // A small body is read and dropped, so a kept-alive connection stays usable for the
        // client's next call; a large one is never read (the connection is closed after the
        // answer). (Clients such as connect-node send chunked bodies with no declared length.)
        const declared = req.headers["content-length"];
        if (declared === undefined || Number(declared) <= SMALL_BODY_BYTES)
          await readBody(req, SMALL_BODY_BYTES).catch(() => undefined);
        body = emptyMessageBody(header.get("content-type") ?? "");
        for (const h of ["content-length", "content-encoding", "connect-content-encoding", "grpc-encoding"])
          header.delete(h);
      } else if (unary) {
        body = await requestBody(req, options.readMaxBytes + ENVELOPE_BYTES);
      } else {
        body = req.iterator({ destroyOnReturn: false });
      }
      const values = createContextValues().set(AUTHENTICATED, authenticated);
      const uReq = universalRequest(req, res, header, body, values);
      const uRes = await handler(uReq);
      if (unary) await writeUnaryResponse(uRes, res);
      else await universalResponseToNodeResponse(uRes, res as never);
      uReq.answered();
    } catch (e) {
      options.onFailure(e);
    }
  };
}

/** The 5 bytes (flags, length) before each message on gRPC, gRPC-Web and Connect streams. */
const ENVELOPE_BYTES = 5;

/** Largest request message accepted on gRPC, gRPC-Web and Connect (gRPC's usual default). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * A service or method Usher does not serve, answered as each protocol's server would: gRPC and
 * gRPC-Web with HTTP 200 and `grpc-status: 12` (UNIMPLEMENTED) in a trailers-only response, which
 * every gRPC client reads; Connect and anything else with HTTP 404 and Connect's error body.
 */
function unknownProcedure(req: Req, res: Res): void {
  const path = (req.url ?? "").split("?", 1)[0] ?? "";
  const message = `${path} is not implemented`;
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.startsWith("application/grpc")) {
    const headers = {
      "content-type": contentType.split(";", 1)[0] ?? "application/grpc",
      "grpc-status": String(Code.Unimplemented),
      "grpc-message": encodeURIComponent(message),
    };
    const stream = (res as Partial<Http2ServerResponse>).stream;
    // HTTP/2: the headers end the stream (trailers-only); HTTP/1.1 gRPC-Web: headers, no body.
    if (stream) stream.respond({ ":status": 200, ...headers }, { endStream: true });
    else {
      res.writeHead(200, headers);
      res.end();
    }
    return;
  }
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ code: "unimplemented", message }));
}

/** The most of an unauthenticated body that is read (and dropped) to keep its connection. */
const SMALL_BODY_BYTES = 64 * 1024;

const EMPTY_ENVELOPE = new Uint8Array(5);
const EMPTY_JSON_ENVELOPE = new Uint8Array([0, 0, 0, 0, 2, 0x7b, 0x7d]);
const EMPTY_JSON = new TextEncoder().encode("{}");

/** A body holding one empty message in the encoding a content type names. */
async function* emptyMessageBody(contentType: string): AsyncIterable<Uint8Array> {
  const type = contentType.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  if (type.startsWith("application/grpc-web-text")) yield new TextEncoder().encode("AAAAAAA=");
  else if (/^application\/(grpc|grpc-web|connect)\+json$/.test(type)) yield EMPTY_JSON_ENVELOPE;
  else if (/^application\/(grpc|grpc-web)(\+proto)?$|^application\/connect\+proto$/.test(type))
    yield EMPTY_ENVELOPE;
  else if (type === "application/json") yield EMPTY_JSON;
}
