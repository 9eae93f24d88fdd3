import type { TSchema } from "@sinclair/typebox";
import type { TenantRoute } from "./route.ts";
import { COMPONENTS } from "./schemas.ts";
import { ACTIVITY_COMPONENTS } from "./schemas-activity.ts";

/** Rewrites TypeBox `$ref: "User"` into OpenAPI's `#/components/schemas/User`, dropping TypeBox's symbols. */
function toOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "$id") continue;
    out[k] =
      k === "$ref" && typeof v === "string" && !v.startsWith("#")
        ? `#/components/schemas/${v}`
        : toOpenApi(v);
  }
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const DESCRIPTIONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted: the work goes on in the background",
  204: "No content",
  400: "Invalid request (validation_error, invalid_code)",
  401: "Missing or invalid credential",
  403: "Forbidden (tenant_mismatch, forbidden)",
  404: "Not found",
  409: "Conflict (conflict, already_verified)",
  413: "Body too large (payload_too_large; details.limit)",
  415: "Unsupported media type (unsupported_media_type)",
  422: "Idempotency-Key reused with another request",
  429: "Throttled; see Retry-After",
};

/** The OpenAPI 3.1 document of the tenant API, generated from the route table and its schemas. */
export function openApiDocument(routes: readonly TenantRoute[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [
      { name: "X-Tenant-ID", in: "header", required: true, schema: { type: "string", format: "uuid" } },
    ];
    for (const m of r.path.matchAll(/\{(\w+)\}/g))
      parameters.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
    const q = r.query as TSchema & { properties?: Record<string, TSchema> };
    for (const [name, s] of Object.entries(q?.properties ?? {}))
      parameters.push({ name, in: "query", required: false, schema: toOpenApi(s) });
    if (r.idempotent)
      parameters.push({
        name: "Idempotency-Key",
        in: "header",
        required: false,
        schema: { type: "string", maxLength: 255 },
      });
    const responses: Record<string, unknown> = {};
    const statuses = new Set([
      ...Object.keys(r.responses).map(Number),
      400,
      ...(r.access === "credential" ? [401, 403] : []),
      413,
      429,
    ]);
    for (const status of [...statuses].sort()) {
      const name = r.responses[status] ?? (status >= 400 ? "Error" : null);
      const described = r.errors?.[status];
      responses[String(status)] = name
        ? {
            description: described ?? DESCRIPTIONS[status] ?? "Error",
            content: { "application/json": { schema: ref(name) } },
          }
        : { description: DESCRIPTIONS[status] ?? "" };
    }
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      parameters,
      responses,
    };
    if (r.access === "public") op.security = [];
    const bodyName = (r.body as { $id?: string } | undefined)?.$id;
    if (r.body)
      op.requestBody = {
        required: true,
        content: { "application/json": { schema: bodyName ? ref(bodyName) : toOpenApi(r.body) } },
      };
    if (r.upload)
      op.requestBody = {
        required: true,
        description: r.upload.description,
        content: Object.fromEntries(r.upload.mediaTypes.map((t) => [t, { schema: { type: "string" } }])),
      };
    const path = r.path;
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[r.method.toLowerCase()] = op;
  }
  const schemas = Object.fromEntries(
    [...COMPONENTS, ...ACTIVITY_COMPONENTS].map((s) => [(s as { $id: string }).$id, toOpenApi(s)]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Usher tenant API",
      version: "1",
      description:
        "Users, invites, API keys and authorization checks of one tenant. Every call names its tenant in X-Tenant-ID.",
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }, { bearer: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        bearer: { type: "http", scheme: "bearer" },
      },
    },
  };
}
