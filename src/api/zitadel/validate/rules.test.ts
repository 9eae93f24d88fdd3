import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import * as action from "@zitadel/proto/zitadel/action/v2beta/action_service_pb.js";
import * as admin from "@zitadel/proto/zitadel/admin_pb.js";
import * as authz from "@zitadel/proto/zitadel/authorization/v2beta/authorization_service_pb.js";
import * as feature from "@zitadel/proto/zitadel/feature/v2/instance_pb.js";
import type { Unit } from "@zitadel/proto/zitadel/quota_pb.js";
import * as session from "@zitadel/proto/zitadel/session/v2/session_service_pb.js";
import * as system from "@zitadel/proto/zitadel/system_pb.js";
import { firstViolation } from "./validate.ts";

/**
 * Rule kinds the user APIs do not carry, exercised on other ZITADEL requests whose
 * descriptors do — so the behaviour is pinned against real options, not hand-made ones.
 */

function violationOf<Desc extends DescMessage>(
  schema: Desc,
  init: MessageInitShape<Desc>,
): string | undefined {
  return firstViolation(schema, create(schema, init));
}

test("a required oneof with no member set", () => {
  const base = { name: "n", endpoint: "https://example.com" };
  assert.equal(
    violationOf(action.CreateTargetRequestSchema, base),
    "invalid CreateTargetRequest.TargetType: value is required",
  );
  assert.equal(
    violationOf(action.CreateTargetRequestSchema, { ...base, targetType: { case: "restCall", value: {} } }),
    undefined,
  );
});

test("duration ranges print Go durations", () => {
  const target = (seconds: bigint, nanos = 0) =>
    violationOf(action.CreateTargetRequestSchema, {
      name: "n",
      endpoint: "e",
      targetType: { case: "restCall", value: {} },
      timeout: { seconds, nanos },
    });
  assert.equal(target(270n), undefined);
  assert.equal(target(271n), "invalid CreateTargetRequest.Timeout: value must be inside range [0s, 4m30s]");
  assert.equal(
    target(1n, -1),
    "invalid CreateTargetRequest.Timeout: value is not a valid duration | caused by: " +
      "proto: duration (seconds:1 nanos:-1) has seconds and nanos with different signs",
  );
  assert.equal(
    violationOf(session.CreateSessionRequestSchema, { lifetime: {} }),
    "invalid CreateSessionRequest.Lifetime: value must be greater than 0s",
  );
  assert.equal(violationOf(session.CreateSessionRequestSchema, {}), undefined, "unset optional duration");
});

test("enum, timestamp, duration and uint64 rules in field order", () => {
  const quota = (init: MessageInitShape<typeof system.AddQuotaRequestSchema>) =>
    violationOf(system.AddQuotaRequestSchema, { instanceId: "i", ...init });
  assert.equal(quota({}), "invalid AddQuotaRequest.Unit: value must not be in list [UNIT_UNIMPLEMENTED]");
  // An unknown number, as a client built against newer protos could send.
  assert.equal(
    quota({ unit: 99 as Unit }),
    "invalid AddQuotaRequest.Unit: value must be one of the defined enum values",
  );
  assert.equal(quota({ unit: 1 }), "invalid AddQuotaRequest.From: value is required");
  assert.equal(quota({ unit: 1, from: {} }), "invalid AddQuotaRequest.ResetInterval: value is required");
  assert.equal(
    quota({ unit: 1, from: {}, resetInterval: {} }),
    "invalid AddQuotaRequest.Amount: value must be greater than 0",
  );
  assert.equal(quota({ unit: 1, from: {}, resetInterval: {}, amount: 1n }), undefined);
});

test("list items are checked by index; enum items print numbers", () => {
  const features = (improvedPerformance: number[]) =>
    violationOf(feature.SetInstanceFeaturesRequestSchema, { improvedPerformance });
  assert.equal(
    features([1, 0]),
    "invalid SetInstanceFeaturesRequest.ImprovedPerformance[1]: value must not be in list [0]",
  );
  assert.equal(
    features([1, 1]),
    "invalid SetInstanceFeaturesRequest.ImprovedPerformance[1]: repeated value must contain unique items",
  );
  assert.equal(
    features([1, 77]),
    "invalid SetInstanceFeaturesRequest.ImprovedPerformance[1]: value must be one of the defined enum values",
  );
  const roles = (roleKeys: string[]) =>
    violationOf(authz.CreateAuthorizationRequestSchema, { userId: "u", projectId: "p", roleKeys });
  assert.equal(
    roles(["a", "b", "a"]),
    "invalid CreateAuthorizationRequest.RoleKeys[2]: repeated value must contain unique items",
  );
  assert.equal(
    roles(["a", ""]),
    "invalid CreateAuthorizationRequest.RoleKeys[1]: value length must be between 1 and 200 runes, inclusive",
  );
  assert.equal(roles(["a", "b"]), undefined);
});

test("item counts, exact lengths, byte lengths and bytes fields", () => {
  assert.equal(
    violationOf(admin.AddGenericOAuthProviderRequestSchema, {
      name: "n",
      clientId: "c",
      clientSecret: "s",
      authorizationEndpoint: "a",
      tokenEndpoint: "t",
      userEndpoint: "u",
      idAttribute: "i",
      scopes: Array(21).fill("openid"),
    }),
    "invalid AddGenericOAuthProviderRequest.Scopes: value must contain no more than 20 item(s)",
  );
  assert.equal(
    violationOf(admin.AddAppleProviderRequestSchema, { clientId: "c", teamId: "123" }),
    "invalid AddAppleProviderRequest.TeamId: value length must be 10 runes",
  );
  assert.equal(
    violationOf(admin.AddAppleProviderRequestSchema, {
      clientId: "c",
      teamId: "1234567890",
      keyId: "ABCDEFGHIJ",
    }),
    "invalid AddAppleProviderRequest.PrivateKey: value length must be between 1 and 5000 bytes, inclusive",
  );
  // max_bytes counts UTF-8: 1001 × "é" is 2002 bytes.
  assert.equal(
    violationOf(admin.SetDefaultInitMessageTextRequestSchema, { language: "de", title: "é".repeat(1001) }),
    "invalid SetDefaultInitMessageTextRequest.Title: value length must be at most 2000 bytes",
  );
  assert.equal(
    violationOf(admin.SetDefaultInitMessageTextRequestSchema, { language: "de", title: "é".repeat(1000) }),
    undefined,
  );
});

test("enum names for singular enums; ignore_empty on strings", () => {
  assert.equal(
    violationOf(admin.GetSecretGeneratorRequestSchema, {}),
    "invalid GetSecretGeneratorRequest.GeneratorType: value must not be in list [SECRET_GENERATOR_TYPE_UNSPECIFIED]",
  );
  assert.equal(violationOf(admin.UpdatePrivacyPolicyRequestSchema, { supportEmail: "" }), undefined);
  assert.equal(
    violationOf(admin.UpdatePrivacyPolicyRequestSchema, { supportEmail: "support@" }),
    "invalid UpdatePrivacyPolicyRequest.SupportEmail: value must be a valid email address | caused by: " +
      "mail: missing '@' or angle-addr",
  );
});
