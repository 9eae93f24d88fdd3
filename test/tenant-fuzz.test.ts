import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { tenantRoutes } from "../src/api/tenant/routes.ts";
import { checker } from "../src/api/tenant/validate.ts";
import { rest } from "./helpers/clients.ts";
import { tableFootprint } from "./helpers/footprint.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * Thousands of malformed requests to every /v1 endpoint: wrong bodies (never valid for the
 * route), odd headers, random ids. Every answer must be a 4xx with the error body — never a
 * 500 — and the database must be exactly as before.
 */
let t: TestApp;
let key: string;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  const made = await rest(t.baseUrl, "POST", "/v1/api-keys", {
    token: t.adminToken,
    headers: { "x-tenant-id": t.defaultOrgId },
    body: { name: "fuzz", roles: ["admin"] },
  });
  key = made.body.raw_key as string;
});
after(async () => {
  await t?.stop();
});

/** Every table's rows, by content (see helpers/footprint.ts). */
const footprint = () => tableFootprint(t.app.db);

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "../../etc", "%00", "😀", "a".repeat(300), "' or 1=1 --", "{{.Code}}"),
);
const tenantHeader = fc.oneof(
  fc.constant("valid"),
  fc.constantFrom("", "not-a-uuid", "00000000-0000-0000-0000-000000000000"),
  fc.uuid(),
);
const keyHeader = fc.oneof(
  fc.constant("valid"),
  fc.constantFrom("", "usher_pat_nope", "Bearer x"),
  fc.string({ maxLength: 30 }),
);

test("malformed requests never get a 500, always the error body, and change nothing", async () => {
  const routes = tenantRoutes(t.app.deps);
  const before = await footprint();
  let sent = 0;
  for (const route of routes) {
    const body = route.body
      ? fc
          .oneof(fc.anything(), fc.object(), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue()))
          .filter((b) => !checker(route.body as never).Check(b))
      : fc.constant(undefined);
    await fc.assert(
      fc.asyncProperty(body, junk, tenantHeader, keyHeader, async (b, id, tenant, apiKey) => {
        const path = route.path.replace(/\{\w+\}/g, encodeURIComponent(id || "x"));
        const headers: Record<string, string> = {};
        if (tenant) headers["x-tenant-id"] = tenant === "valid" ? t.defaultOrgId : tenant;
        if (apiKey) headers["x-api-key"] = apiKey === "valid" ? key : apiKey;
        const res = await rest(t.baseUrl, route.method, path, {
          headers,
          body: b === undefined ? undefined : JSON.stringify(b),
        });
        sent++;
        const safe = route.method === "GET" || route.method === "DELETE";
        if (safe && res.status < 400) return; // a read of something that exists, or nothing to delete
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${route.method} ${path} → ${res.status} ${JSON.stringify(res.body)}`,
        );
        assert.equal(typeof res.body.code, "string");
        assert.equal(typeof res.body.message, "string");
        assert.ok(Array.isArray(res.body.notices));
      }),
      { numRuns: Number(process.env.USHER_FUZZ_TENANT_RUNS ?? 250), seed: 4242 },
    );
  }
  assert.ok(
    sent >= Math.min(2000, routes.length * Number(process.env.USHER_FUZZ_TENANT_RUNS ?? 250)),
    `sent ${sent} requests`,
  );
  console.log(`tenant fuzz: ${sent} malformed requests`);
  assert.deepEqual(await footprint(), before);
});
