import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createServerTransport } from "@zitadel/client/node";
import { createAdminServiceClient, createManagementServiceClient } from "@zitadel/client/v1";
import { createOrganizationServiceClient, createUserServiceClient } from "@zitadel/client/v2";

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
