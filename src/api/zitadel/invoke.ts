import { createHash } from "node:crypto";
import { create, type DescMethod, fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import { authenticate } from "../../authz/authenticate.ts";
import type { Action } from "../../authz/authorizer.ts";
import type { Caller } from "../../authz/caller.ts";
import { resolveOrgContext } from "../../authz/org-context.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { idempotent } from "../../commands/idempotency.ts";
import { limitSearchQueries } from "../../domain/list-limits.ts";
import type { Metrics } from "../../ops/metrics.ts";
import { rejectNulStrings } from "../http/text-input.ts";
import { methodAuth } from "./auth-options.ts";
import type { MethodHandler } from "./handler.ts";
import { isMutating } from "./method-kind.ts";
import { validateMessage } from "./validate/validate.ts";

/**
 * The request message, or how to read it: a surface that reads the body itself passes a
 * function, called only once the credential is known good, so no body is read for an
 * unauthenticated caller.
 */
export type RequestSource = Message | (() => Promise<Message>);

/**
 * The interceptor chain every ZITADEL call passes, whatever its protocol, in ZITADEL's order:
 * token → (the request body) → organization context → the proto's declared permission → field
 * validation → handler. `authenticated` is the token check when a surface already started it
 * (Connect must, before ConnectRPC reads the body).
 */
export function createInvoker(deps: CommandDeps, metrics?: Metrics) {
  const authenticateCall = (headers: Headers): Promise<Caller> =>
    authenticate(deps.db, headers.get("authorization"), deps.now(), deps.callers);
  const invoke = async (
    method: DescMethod,
    handler: MethodHandler,
    source: RequestSource,
    headers: Headers,
    authenticated?: Promise<Caller>,
  ): Promise<unknown> => {
    const caller = await (authenticated ?? authenticateCall(headers));
    const request = typeof source === "function" ? await source() : source;
    // Before anything reads the request: PostgreSQL cannot take a NUL in text.
    rejectNulStrings(request);
    const auth = methodAuth(method);
    const orgId = await resolveOrgContext(deps.db, caller, {
      ...orgFieldOf(request, auth.orgField),
      header: headers.get("x-zitadel-orgid"),
    });
    if (auth.permission !== "authenticated") {
      deps.authz.require(caller, auth.permission as Action, { orgId }, "AUTH-5mWD2");
    }
    limitSearchQueries(request, deps.config.listFilterMaxCount);
    validateMessage(method.input, request);
    const call = { caller, orgId, headers };
    const key = headers.get("idempotency-key");
    if (key === null || !isMutating(method)) return handler(request, call);
    const hash = createHash("sha256").update(toBinary(method.input, request)).digest("base64url");
    return idempotent(deps, {
      scope: caller.userId,
      key,
      fingerprint: `${method.parent.typeName}/${method.name}|${orgId}|${hash}`,
      run: () => handler(request, call),
      encode: (result) =>
        Buffer.from(toBinary(method.output, create(method.output, result as never))).toString("base64"),
      decode: (stored) => fromBinary(method.output, Buffer.from(stored, "base64")),
    });
  };
  if (!metrics) return Object.assign(invoke, { authenticate: authenticateCall });
  const measured = async (
    method: DescMethod,
    handler: MethodHandler,
    source: RequestSource,
    headers: Headers,
    authenticated?: Promise<Caller>,
  ): Promise<unknown> => {
    const started = performance.now();
    const name = `${method.parent.name}/${method.name}`;
    let code = "ok";
    try {
      return await invoke(method, handler, source, headers, authenticated);
    } catch (e) {
      code = String((e as { code?: unknown }).code ?? "unknown");
      throw e;
    } finally {
      metrics.requests.inc({ method: name, code });
      metrics.requestSeconds.observe({ method: name }, (performance.now() - started) / 1000);
    }
  };
  return Object.assign(measured, { authenticate: authenticateCall });
}

export type Invoker = ReturnType<typeof createInvoker>;

/** Reads `organization { org_id | org_domain }` (or a plain string field) named by `org_field`. */
function orgFieldOf(request: Message, field: string): { orgId?: string; orgDomain?: string } {
  if (!field) return {};
  const camel = field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const value = (request as unknown as Record<string, unknown>)[camel];
  if (typeof value === "string") return { orgId: value };
  const org = (value as { org?: { case?: string; value?: string } } | undefined)?.org;
  if (org?.case === "orgId") return { orgId: org.value ?? "" };
  if (org?.case === "orgDomain") return { orgDomain: org.value ?? "" };
  return {};
}
