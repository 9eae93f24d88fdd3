import type { ConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";

/**
 * A Connect request whose binary body does not decode is the client's mistake, but
 * connect-es answers it INTERNAL (HTTP 500, "parse binary: …"; its JSON twin is already
 * INVALID_ARGUMENT). This rewrites exactly that answer to INVALID_ARGUMENT (HTTP 400), in
 * every handler of the router, leaving every other response as it is. gRPC and gRPC-Web carry
 * the code in trailers with HTTP 200 and are not touched.
 */
export function parseErrorsAsInvalidArgument(router: ConnectRouter): void {
  const handlers = router.handlers as UniversalHandler[];
  handlers.forEach((handler, i) => {
    const wrapped = async (req: Parameters<UniversalHandler>[0]) => reclassified(await handler(req));
    handlers[i] = Object.assign(wrapped, handler);
  });
}

async function reclassified(res: UniversalServerResponse): Promise<UniversalServerResponse> {
  if (res.status !== 500 || !res.body) return res;
  const chunks: Uint8Array[] = [];
  for await (const chunk of res.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  let body: Uint8Array = bytes;
  let status = res.status;
  try {
    const error = JSON.parse(bytes.toString("utf8")) as { code?: unknown; message?: unknown };
    if (
      error.code === "internal" &&
      typeof error.message === "string" &&
      error.message.startsWith("parse binary:")
    ) {
      status = 400;
      body = Buffer.from(JSON.stringify({ code: "invalid_argument", message: error.message }));
    }
  } catch {
    // not a Connect JSON error body: passed on unchanged
  }
  const header = new Headers(res.header);
  if (header.has("content-length")) header.set("content-length", String(body.byteLength));
  return {
    ...res,
    status,
    header,
    body: (async function* () {
      yield body;
    })(),
  };
}
