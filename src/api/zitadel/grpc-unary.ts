import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { create, type DescMethod, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { BodyTooLarge, type Req, type Res, readBody, toHeaders } from "../http/io.ts";
import { MAX_MESSAGE_BYTES } from "./connect-adapter.ts";
import { asUsherError, toConnectError } from "./errors.ts";
import { handlerFor, type MethodHandler, type ServiceBinding } from "./handler.ts";
import type { Invoker } from "./invoke.ts";

const GRPC_PROTO = new Set(["application/grpc", "application/grpc+proto"]);

/**
 * Plain unary gRPC — HTTP/2, binary protobuf, no compression, no deadline — answered directly:
 * one read, one decode, the invoker, one encoded frame and the status trailers, as ConnectRPC
 * answers them (same headers, same error trailers via its `setTrailerStatus`). ConnectRPC's
 * universal handler pays for streaming, cancellation and compression on every call; here they
 * cost nothing. Anything else (gRPC-Web, Connect, JSON, compressed, with a deadline, unknown
 * methods) returns false and is left to ConnectRPC.
 */
export function grpcUnaryHandler(
  bindings: readonly ServiceBinding[],
  invoke: Invoker,
  onError: (e: unknown) => void,
) {
  const routes = new Map<string, { method: DescMethod; handler: MethodHandler }>();
  for (const binding of bindings) {
    for (const method of binding.service.methods) {
      const handler = handlerFor(binding, method);
      if (handler && method.methodKind === "unary")
        routes.set(`/${binding.service.typeName}/${method.name}`, { method, handler });
    }
  }

  return async (req: Req, res: Res, path: string): Promise<boolean> => {
    const h = req.headers;
    const encoding = h["grpc-encoding"];
    if (
      req.httpVersionMajor !== 2 ||
      req.method !== "POST" ||
      !GRPC_PROTO.has(String(h["content-type"])) ||
      (encoding !== undefined && encoding !== "identity") ||
      h["grpc-timeout"] !== undefined
    ) {
      return false;
    }
    const route = routes.get(path);
    if (!route) return false;
    const { method, handler } = route;
    const response = res as Http2ServerResponse;
    const trailers = new Headers();
    let frame: Buffer | undefined;
    try {
      // The message is read only after the credential checked out (the invoker calls this then).
      const readRequest = async () => decode(method, unframe(await readMessage(req as Http2ServerRequest)));
      try {
        const result = await invoke(method, handler, readRequest, toHeaders(req));
        frame = envelope(toBinary(method.output, create(method.output, result as never)));
      } catch (e) {
        if (e instanceof ConnectError) throw e;
        const err = asUsherError(e);
        onError(err);
        throw toConnectError(err);
      }
      setTrailerStatus(trailers, undefined);
    } catch (e) {
      // Protocol errors are ConnectErrors already; anything else was reported above.
      setTrailerStatus(trailers, e instanceof ConnectError ? e : toConnectError(asUsherError(e)));
    }
    response.writeHead(200, { "content-type": "application/grpc+proto" });
    response.addTrailers(Object.fromEntries(trailers));
    if (frame) response.end(frame);
    else response.end();
    return true;
  };
}

async function readMessage(req: Http2ServerRequest): Promise<Buffer> {
  try {
    return await readBody(req, MAX_MESSAGE_BYTES + 5);
  } catch (e) {
    if (e instanceof BodyTooLarge)
      throw new ConnectError(`message larger than ${MAX_MESSAGE_BYTES} bytes`, Code.ResourceExhausted);
    throw e;
  }
}

/** The one message of a unary request: a 5-byte envelope (flags, length) and its bytes. */
function unframe(body: Buffer): Uint8Array {
  if (body.length === 0)
    throw new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented);
  if (body.length < 5) throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  const flags = body[0] ?? 0;
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length)
    throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  if (body.length > 5 + length)
    throw new ConnectError(
      "protocol error: received extra input message for unary method",
      Code.Unimplemented,
    );
  if (flags & 1)
    throw new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal);
  return body.subarray(5);
}

function envelope(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** The request message, or ConnectRPC's error for bytes that are not one. */
function decode(method: DescMethod, bytes: Uint8Array) {
  try {
    return fromBinary(method.input, bytes);
  } catch (e) {
    throw new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal);
  }
}
