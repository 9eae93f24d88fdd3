import assert from "node:assert/strict";
import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { matchRoute, type TenantRoute } from "../../src/api/tenant/route.ts";
import { COMPONENTS } from "../../src/api/tenant/schemas.ts";
import "../../src/api/tenant/validate.ts";

const byId = new Map(COMPONENTS.map((s) => [(s as { $id: string }).$id, s]));
const compiled = new Map<string, ReturnType<typeof TypeCompiler.Compile>>();

/** Asserts that a response body has the schema the route documents for its status. */
export function assertDocumented(
  routes: readonly TenantRoute[],
  method: string,
  path: string,
  status: number,
  body: unknown,
) {
  const found = matchRoute(routes, method, path.split("?")[0] ?? path);
  if (!found || found === "method_not_allowed") return;
  const documented =
    status in found.route.responses ? found.route.responses[status] : status >= 400 ? "Error" : undefined;
  assert.notEqual(
    documented,
    undefined,
    `${method} ${path} answered ${status}, which its route does not document`,
  );
  if (documented === null) return;
  const name = documented as string;
  let check = compiled.get(name);
  if (!check) {
    check = TypeCompiler.Compile(byId.get(name) as TSchema, [...byId.values()]);
    compiled.set(name, check);
  }
  const errors = [...check.Errors(body)].slice(0, 3).map((e) => `${e.path} ${e.message}`);
  assert.deepEqual(errors, [], `${method} ${path} → ${status} does not match ${name}`);
}
