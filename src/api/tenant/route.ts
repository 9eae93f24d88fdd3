import type { TSchema } from "@sinclair/typebox";
import type { Caller } from "../../authz/caller.ts";

/** What a tenant API handler receives. */
export interface TenantCall {
  /** The authenticated caller; absent only on public routes. */
  caller: Caller | undefined;
  /** The tenant (organization) named by `X-Tenant-ID`. */
  tenantId: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  headers: Headers;
  /** The client's address, for per-address throttles on public routes. */
  clientAddress: string;
  /** An upload route's body, as it arrives (counted against the route's limit). */
  upload?: AsyncIterable<Buffer> | undefined;
}

export interface TenantResult {
  status: number;
  body?: unknown;
}

/** One endpoint: its documentation, schemas and handler; the router and OpenAPI both read it. */
export interface TenantRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** `credential`: X-API-Key or Bearer plus X-Tenant-ID; `public`: end-user endpoints. */
  access: "credential" | "public";
  body?: TSchema;
  query?: TSchema;
  /**
   * The body is a file, streamed to the handler (`TenantCall.upload`) instead of read whole as
   * JSON, up to a limit of its own.
   */
  upload?: { mediaTypes: readonly string[]; limit: number; description: string };
  /** Status → schema name in components (or null for no body). */
  responses: Record<number, string | null>;
  /** What an error status means on this route, when more than the general meaning (OpenAPI). */
  errors?: Record<number, string>;
  idempotent?: boolean;
  handler: (call: TenantCall) => Promise<TenantResult>;
}

/** Route matching on `{param}` templates, literal segments first. */
export function matchRoute(
  routes: readonly TenantRoute[],
  method: string,
  pathname: string,
): { route: TenantRoute; params: Record<string, string> } | "method_not_allowed" | undefined {
  const segments = pathname.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const parts = route.path.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const p = parts[i] as string;
      const s = segments[i] as string;
      if (p.startsWith("{")) {
        try {
          params[p.slice(1, -1)] = decodeURIComponent(s);
        } catch {
          ok = false;
        }
      } else ok = p === s;
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method_not_allowed" : undefined;
}
