import { create, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { limitSearchQueries } from "../../domain/list-limits.ts";
import { UsherError, validationError } from "../../errors/usher-error.ts";
import { BodyTooLarge, type Req, type Res, readBody, sendJson, toHeaders } from "../http/io.ts";
import { utf8Text } from "../http/text-input.ts";
import { asUsherError, httpStatus, restErrorBody, retryAfter } from "./errors.ts";
import { handlerFor, type ServiceBinding } from "./handler.ts";
import type { Invoker } from "./invoke.ts";
import { buildRequestJson } from "./rest/request.ts";
import { buildRestRoutes } from "./rest/routes.ts";

const BODY_LIMIT = 1024 * 1024;

/**
 * ZITADEL's REST surface, transcoded from the `google.api.http` annotations of the same
 * descriptors (grpc-gateway semantics: canonical protobuf JSON, zero values omitted, unknown
 * fields discarded). Returns false when no annotated path matches, so others may answer.
 */
export function restHandler(
  bindings: readonly ServiceBinding[],
  invoke: Invoker,
  onError: (e: unknown) => void,
  maxQueries: number,
) {
  const router = buildRestRoutes(bindings.map((b) => ({ service: b.service, prefix: b.restPrefix ?? "" })));
  const bindingOf = new Map(bindings.map((b) => [b.service.typeName, b]));

  return async function handle(req: Req, res: Res, url: URL): Promise<boolean> {
    const match = router.match(req.method ?? "GET", url.pathname);
    if (match.kind === "not_found") return false;
    if (match.kind === "method_not_allowed") {
      sendJson(res, 405, { code: Code.Unimplemented, message: "Method Not Allowed", details: [] });
      return true;
    }
    try {
      const binding = bindingOf.get(match.method.parent.typeName);
      const handler = binding && handlerFor(binding, match.method);
      if (!handler) {
        throw new UsherError({
          code: Code.Unimplemented,
          key: `${match.method.parent.typeName}.${match.method.name} is not implemented`,
        });
      }
      // The body is read only after the credential checked out (the invoker calls this then).
      const readRequest = async () => {
        const json = buildRequestJson(match.method, match, await parseBody(req), url.searchParams);
        // Counted on the JSON: converting 11,000 filters to a message alone takes ~0.1 s.
        limitSearchQueries(json, maxQueries);
        try {
          return fromJson(match.method.input, json, { ignoreUnknownFields: true });
        } catch (e) {
          throw validationError(`invalid request: ${(e as Error).message}`);
        }
      };
      const result = await invoke(match.method, handler, readRequest, toHeaders(req));
      const output = create(match.method.output, result as never);
      sendJson(res, 200, toJson(match.method.output, output));
    } catch (e) {
      const err =
        e instanceof BodyTooLarge
          ? new UsherError({ code: Code.ResourceExhausted, key: e.message })
          : asUsherError(e);
      onError(err);
      const retry = retryAfter(err);
      const headers: Record<string, string> = retry === undefined ? {} : { "retry-after": String(retry) };
      sendJson(
        res,
        e instanceof BodyTooLarge ? 413 : httpStatus(err.code, err.httpStatus),
        restErrorBody(err),
        headers,
      );
    }
    return true;
  };
}

async function parseBody(req: Req): Promise<JsonValue | undefined> {
  const raw = await readBody(req, BODY_LIMIT);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(utf8Text(raw)) as JsonValue;
  } catch (e) {
    if (e instanceof UsherError) throw e;
    throw validationError(`invalid JSON body: ${(e as Error).message}`);
  }
}
