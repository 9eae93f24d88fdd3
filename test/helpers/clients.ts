import assert from "node:assert/strict";
import { type DescService, toJson } from "@bufbuild/protobuf";
import {
  type Client,
  ConnectError,
  createClient,
  type Interceptor,
  type Transport,
} from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createServerTransport } from "@zitadel/client/node";
import { createAdminServiceClient, createManagementServiceClient } from "@zitadel/client/v1";
import { createOrganizationServiceClient, createUserServiceClient } from "@zitadel/client/v2";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";

export type Protocol = "grpc" | "grpc-web" | "connect";
export const PROTOCOLS: readonly Protocol[] = ["grpc", "grpc-web", "connect"];

const orgHeader =
  (orgId: string): Interceptor =>
  (next) =>
  (req) => {
    req.header.set("x-zitadel-orgid", orgId);
    return next(req);
  };

/** A transport of the given protocol: gRPC is the official client's `createServerTransport`. */
export function transport(protocol: Protocol, baseUrl: string, token: string, orgId?: string): Transport {
  const extra = orgId ? [orgHeader(orgId)] : [];
  if (protocol === "grpc") return createServerTransport(token, { baseUrl, interceptors: extra });
  const interceptors = [NewAuthorizationBearerInterceptor(token), ...extra];
  if (protocol === "grpc-web") return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors });
  return createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors });
}

/** The official v2 user service client over a protocol. */
export function userClient(protocol: Protocol, baseUrl: string, token: string, orgId?: string) {
  return createUserServiceClient(transport(protocol, baseUrl, token, orgId));
}

/** The official v2 organization service client over a protocol. */
export function orgClient(protocol: Protocol, baseUrl: string, token: string, orgId?: string) {
  return createOrganizationServiceClient(transport(protocol, baseUrl, token, orgId));
}

/** The official v1 management service client; `orgId` goes out as `x-zitadel-orgid`. */
export function managementClient(protocol: Protocol, baseUrl: string, token: string, orgId?: string) {
  return createManagementServiceClient(transport(protocol, baseUrl, token, orgId));
}

/** The official v1 admin (instance) service client. */
export function adminClient(protocol: Protocol, baseUrl: string, token: string) {
  return createAdminServiceClient(transport(protocol, baseUrl, token));
}

export function clientFor<T extends DescService>(
  service: T,
  protocol: Protocol,
  baseUrl: string,
  token: string,
): Client<T> {
  return createClient(service, transport(protocol, baseUrl, token));
}

/** A REST call as `fetch` makes it; returns status, JSON body and headers. */
export async function rest(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body, headers: res.headers };
}

/** The surfaces of the v1 ManagementService in ZITADEL: REST, gRPC, gRPC-Web (spec §1.1). */
export const V1_SURFACES = ["rest", "grpc", "grpc-web"] as const;
export type V1Surface = (typeof V1_SURFACES)[number];

/** One v1 call in both forms: the official client's method and request, and its REST route. */
export interface V1Call {
  /** The method's local name, e.g. `resendHumanInitialization`. */
  method: string;
  request: Record<string, unknown>;
  /** Verb, path under `/management/v1`, JSON body. */
  rest: [string, string, unknown?];
}

/** A v1 answer, the same on every surface: the response as JSON, or the error as it came. */
export type V1Answer =
  | { ok: true; json: Record<string, unknown> }
  | { ok: false; surface: V1Surface; status: number; body: Record<string, unknown>; error?: ConnectError };

/**
 * Makes a v1 call on a surface as `token`, naming `orgId` in `x-zitadel-orgid` (when given):
 * REST with `fetch`, gRPC and gRPC-Web with the official client (its response turned into
 * protobuf JSON, so all three can be compared).
 */
export async function callV1(
  surface: V1Surface,
  baseUrl: string,
  token: string,
  orgId: string | undefined,
  call: V1Call,
): Promise<V1Answer> {
  if (surface === "rest") {
    const [verb, path, body] = call.rest;
    const headers: Record<string, string> = orgId ? { "x-zitadel-orgid": orgId } : {};
    const res = await rest(baseUrl, verb, `/management/v1${path}`, { token, headers, body });
    return res.status === 200
      ? { ok: true, json: res.body }
      : { ok: false, surface, status: res.status, body: res.body };
  }
  const method = ManagementService.methods.find((m) => m.localName === call.method);
  if (!method) throw new Error(`no method ${call.method}`);
  const client = managementClient(surface, baseUrl, token, orgId) as unknown as Record<
    string,
    (r: unknown) => Promise<never>
  >;
  try {
    const response = await (client[call.method] as (r: unknown) => Promise<never>)(call.request);
    return { ok: true, json: toJson(method.output, response) as Record<string, unknown> };
  } catch (e) {
    if (!(e instanceof ConnectError)) throw e;
    return { ok: false, surface, status: 0, body: {}, error: e };
  }
}

/**
 * Asserts a ZITADEL business error: REST's status and JSON body `{code, message, details}`
 * with one `zitadel.v1.ErrorDetail`; on gRPC/gRPC-Web the code, `<text> (<id>)` and the detail.
 */
export function assertV1Error(
  answer: V1Answer,
  status: number,
  code: number,
  text: string,
  id: string,
): void {
  assert.ok(!answer.ok, `expected ${id}, got ${JSON.stringify(answer)}`);
  if (answer.surface === "rest") {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, {
      code,
      message: `${text} (${id})`,
      details: [{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id, message: text }],
    });
    return;
  }
  const e = answer.error as ConnectError;
  assert.equal(e.code, code, e.message);
  assert.equal(e.rawMessage, `${text} (${id})`);
  const details = e.findDetails(ErrorDetailSchema);
  assert.deepEqual(
    details.map((d) => [d.id, d.message]),
    [[id, text]],
  );
}

/** Asserts a plain error without a detail (protoc-gen-validate, UNIMPLEMENTED): code and text. */
export function assertV1Plain(answer: V1Answer, status: number, code: number, message: RegExp): void {
  assert.ok(!answer.ok, `expected an error, got ${JSON.stringify(answer)}`);
  if (answer.surface === "rest") {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.code, code);
    assert.match(String(answer.body.message), message);
    assert.deepEqual(answer.body.details, []);
    return;
  }
  const e = answer.error as ConnectError;
  assert.equal(e.code, code, e.message);
  assert.match(e.rawMessage, message);
  assert.deepEqual(e.findDetails(ErrorDetailSchema), []);
}

/** The JSON of a successful v1 answer (fails the test otherwise). */
export function okJson(answer: V1Answer): Record<string, unknown> {
  if (!answer.ok) {
    const why = answer.error ? answer.error.message : JSON.stringify(answer.body);
    assert.fail(`expected success on ${answer.surface}: ${answer.status} ${why}`);
  }
  return answer.json;
}
