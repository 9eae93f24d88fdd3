import assert from "node:assert/strict";
import { test } from "node:test";
import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { actionServiceV2beta } from "../action-service.ts";
import { adminServiceV1 } from "../admin-service.ts";
import type { ServiceBinding } from "../handler.ts";
import { managementServiceV1 } from "../management-service.ts";
import { orgServiceV2 } from "../org-service.ts";
import { userServiceV2 } from "../user-service.ts";
import { assertRulesSupported, rulesInUse, SUPPORTED_RULES, servedMethods } from "./supported.ts";

/** The bindings app.ts serves; building them only closes over the dependencies. */
const served = (): ServiceBinding[] => {
  const deps = {} as never;
  return [
    userServiceV2(deps),
    orgServiceV2(deps),
    managementServiceV1(deps),
    adminServiceV1(deps),
    actionServiceV2beta(deps),
  ];
};

test("the validator supports exactly the rules the served methods carry", () => {
  const inUse = new Set(rulesInUse(servedMethods(served())).map((u) => u.rule));
  assert.deepEqual([...inUse].sort(), [...SUPPORTED_RULES].sort());
  assert.doesNotThrow(() => assertRulesSupported(servedMethods(served())));
});

test("serving a method whose request carries an unsupported rule stops the start", () => {
  // StartIdentityProviderIntent (not served) carries `string.uri_ref`, which no served method does.
  const user = served()[0] as ServiceBinding;
  const method = UserService.method.startIdentityProviderIntent;
  assert.ok(!Object.hasOwn(user.handlers, method.localName), "the method is not served today");
  const unsupported = rulesInUse([method]).filter((u) => !SUPPORTED_RULES.has(u.rule));
  assert.ok(
    unsupported.some((u) => u.rule === "string.uri_ref"),
    JSON.stringify(unsupported),
  );
  const withIt: ServiceBinding = {
    ...user,
    handlers: { ...user.handlers, [method.localName]: async () => ({}) },
  };
  assert.throws(
    () => assertRulesSupported(servedMethods([withIt])),
    (e: Error) =>
      e.message.startsWith("request validation does not support these rules of served methods") &&
      unsupported.every((u) => e.message.includes(`${u.rule} (${u.where})`)),
  );
});
