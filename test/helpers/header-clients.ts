import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createServerTransport } from "@zitadel/client/node";
import { createManagementServiceClient } from "@zitadel/client/v1";
import { createUserServiceClient } from "@zitadel/client/v2";
import type { Protocol } from "./clients.ts";

/** A transport of a protocol that sends `token` and `headers` (e.g. `Idempotency-Key`) on every call. */
export function transportWith(
  protocol: Protocol,
  baseUrl: string,
  token: string,
  headers: Record<string, string>,
): Transport {
  const set: Interceptor = (next) => (req) => {
    for (const [k, v] of Object.entries(headers)) req.header.set(k, v);
    return next(req);
  };
  if (protocol === "grpc") return createServerTransport(token, { baseUrl, interceptors: [set] });
  const interceptors = [NewAuthorizationBearerInterceptor(token), set];
  return protocol === "grpc-web"
    ? createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors })
    : createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors });
}

/** The official v2 user and v1 management clients of one caller, with extra headers per client. */
export function clientsWithHeaders(baseUrl: string, token: string) {
  return {
    users: (protocol: Protocol, headers: Record<string, string> = {}) =>
      createUserServiceClient(transportWith(protocol, baseUrl, token, headers)),
    management: (protocol: Protocol, headers: Record<string, string> = {}) =>
      createManagementServiceClient(transportWith(protocol, baseUrl, token, headers)),
  };
}
