import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { CommandDeps } from "../../commands/deps.ts";
import { idempotent } from "../../commands/idempotency.ts";
import { parseTrustedProxies } from "../../config/trusted-proxies.ts";
import { clientAddress } from "../http/client-address.ts";
import {
  BodyTooLarge,
  declaresTooLarge,
  type Req,
  type Res,
  readBody,
  sendJson,
  toHeaders,
} from "../http/io.ts";
import { utf8Text } from "../http/text-input.ts";
import { requireTenantHeader, tenantCaller } from "./credentials.ts";
import { idempotentUpload } from "./idempotent-upload.ts";
import type { TenantResult, TenantRoute } from "./route.ts";
import { matchRoute } from "./route.ts";
import { errorBody, TenantError, toTenantError, validation } from "./tenant-error.ts";
import { assertValid } from "./validate.ts";

export const BODY_LIMIT = 64 * 1024;

/**
 * The `/v1` surface: match, check the request (headers, credential, tenant, then the body:
 * size, JSON, schema), run the handler — once per Idempotency-Key — and answer in the tenant API's
 * error body on any failure.
 */
export function tenantHandler(deps: CommandDeps, routes: readonly TenantRoute[], log: Logger) {
  return async function handle(req: Req, res: Res, url: URL): Promise<boolean> {
    const found = matchRoute(routes, req.method ?? "GET", url.pathname);
    if (found === undefined) return false;
    let limit = BODY_LIMIT;
    try {
      if (found === "method_not_allowed")
        throw new TenantError(405, "method_not_allowed", "This endpoint does not take that method.");
      const { route, params } = found;
      const headers = toHeaders(req);
      // A body declared too large is refused before anything waits on the database (meanwhile
      // the socket would go on filling buffers); then the credential: no body is read for a
      // caller without a good one.
      limit = route.upload?.limit ?? BODY_LIMIT;
      if (declaresTooLarge(req, limit)) throw new BodyTooLarge("declared body too large");
      const who =
        route.access === "credential"
          ? await tenantCaller(deps, headers)
          : { caller: undefined, tenantId: requireTenantHeader(headers) };
      const raw = route.upload ? Buffer.alloc(0) : await readBody(req, BODY_LIMIT);
      const body = route.body ? parseJson(raw) : undefined;
      if (route.body) assertValid(route.body, body, "body");
      const query = route.query ? queryObject(url.searchParams, route) : {};
      const address = clientAddress(req, parseTrustedProxies(deps.config.trustedProxies));
      const upload = route.upload ? counted(req, limit) : undefined;
      const call = { ...who, params, query, body, headers, clientAddress: address, upload };
      const key = headers.get("idempotency-key");
      const result: TenantResult =
        key && route.idempotent && who.caller && upload
          ? await idempotentUpload(deps, {
              scope: who.caller.userId,
              key,
              // The file itself is compared by its hash (idempotentUpload); the options are the query.
              fingerprint: `${route.operationId}|${who.tenantId}|${JSON.stringify(params)}|${JSON.stringify(query)}|${headers.get("content-type") ?? ""}`,
              upload,
              run: (file) => route.handler({ ...call, upload: file }),
            })
          : key && route.idempotent && who.caller
            ? await idempotent(deps, {
                scope: `${who.caller.userId}`,
                key,
                fingerprint: `${route.operationId}|${who.tenantId}|${JSON.stringify(params)}|${createHash("sha256").update(raw).digest("base64url")}`,
                run: () => route.handler(call),
                encode: (r) => JSON.stringify(r),
                decode: (s) => JSON.parse(s) as TenantResult,
              })
            : await route.handler(call);
      if (result.body === undefined) {
        (res as import("node:http").ServerResponse).writeHead(result.status);
        res.end();
      } else sendJson(res, result.status, result.body);
    } catch (e) {
      const err =
        e instanceof BodyTooLarge
          ? new TenantError(413, "payload_too_large", `The body is larger than ${limit} bytes.`, { limit })
          : isUnprocessable(e)
            ? new TenantError(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different request.",
              )
            : toTenantError(e);
      if (err.status >= 500) log.error({ err: e, path: url.pathname }, "tenant API request failed");
      const headers: Record<string, string> =
        err.status === 429 || err.status === 503
          ? { "retry-after": String(err.details.retry_after_seconds ?? 60) }
          : {};
      sendJson(res, err.status, errorBody(err), headers);
    }
    return true;
  };
}

/** An upload's chunks as they arrive, refused (BodyTooLarge) once more than `limit` bytes came. */
async function* counted(req: Req, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`request body is larger than ${limit} bytes`);
    yield chunk;
  }
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  let text: string;
  try {
    text = utf8Text(raw);
  } catch {
    throw validation([{ field: "body", message: "is not valid UTF-8" }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw validation([{ field: "body", message: "is not valid JSON" }]);
  }
}

/** Query parameters the route knows, with numbers as numbers; unknown ones are ignored. */
function queryObject(params: URLSearchParams, route: TenantRoute): Record<string, unknown> {
  const schema = route.query as { properties?: Record<string, { type?: string }> };
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const v = params.get(name);
    if (v === null) continue;
    out[name] =
      prop.type === "integer" && /^-?\d+$/.test(v)
        ? Number(v)
        : prop.type === "boolean" && (v === "true" || v === "false")
          ? v === "true"
          : v;
  }
  assertValid(route.query as never, out, "query");
  return out;
}

function isUnprocessable(e: unknown): boolean {
  return (e as { httpStatus?: number }).httpStatus === 422;
}
