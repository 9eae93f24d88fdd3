import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import * as action from "@zitadel/proto/zitadel/action/v2beta/action_service_pb.js";
import * as admin from "@zitadel/proto/zitadel/admin_pb.js";
import { firstViolation } from "./validate.ts";

/**
 * Supported rules the user APIs carry rarely, exercised on the ZITADEL requests whose
 * descriptors carry them — so the behaviour is pinned against real options, not hand-made ones.
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
    violationOf(action.CreateTargetRequestSchema, {
      name: "n",
      endpoint: "e",
      targetType: { case: "restCall", value: {} },
    }),
    undefined,
    "unset optional duration",
  );
});

test("item counts", () => {
  const events = (eventTypes: string[]) => violationOf(admin.ListEventsRequestSchema, { eventTypes });
  assert.equal(
    events(Array(31).fill("user.added")),
    "invalid ListEventsRequest.EventTypes: value must contain no more than 30 item(s)",
  );
  assert.equal(events(Array(30).fill("user.added")), undefined);
});

test("ignore_empty and email on strings", () => {
  assert.equal(violationOf(admin.UpdatePrivacyPolicyRequestSchema, { supportEmail: "" }), undefined);
  assert.equal(
    violationOf(admin.UpdatePrivacyPolicyRequestSchema, { supportEmail: "support@" }),
    "invalid UpdatePrivacyPolicyRequest.SupportEmail: value must be a valid email address | caused by: " +
      "mail: missing '@' or angle-addr",
  );
});
