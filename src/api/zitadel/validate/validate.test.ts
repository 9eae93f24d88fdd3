import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import * as mgmt from "@zitadel/proto/zitadel/management_pb.js";
import * as v2 from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { UsherError } from "../../../errors/usher-error.ts";
import { firstViolation, validateMessage } from "./validate.ts";

/** PGV's text for a request built from `init`, or undefined when it is valid. */
function violationOf<Desc extends DescMessage>(
  schema: Desc,
  init: MessageInitShape<Desc>,
): string | undefined {
  return firstViolation(schema, create(schema, init));
}

const userIdRange = "value length must be between 1 and 200 runes, inclusive";
const validHuman = {
  profile: { givenName: "Ada", familyName: "Lovelace" },
  email: { email: "ada@example.com" },
} satisfies MessageInitShape<typeof v2.AddHumanUserRequestSchema>;

test("an empty user_id fails with PGV's text as a plain INVALID_ARGUMENT", () => {
  const request = create(mgmt.ResendHumanInitializationRequestSchema, { userId: "" });
  assert.throws(
    () => validateMessage(mgmt.ResendHumanInitializationRequestSchema, request),
    (e: unknown) => {
      assert.ok(e instanceof UsherError);
      assert.equal(e.code, Code.InvalidArgument);
      assert.equal(e.style, "plain");
      assert.equal(e.statusMessage(), `invalid ResendHumanInitializationRequest.UserId: ${userIdRange}`);
      return true;
    },
  );
});

test("user_id is limited to 200 runes", () => {
  assert.equal(violationOf(v2.GetUserByIDRequestSchema, { userId: "x".repeat(200) }), undefined);
  assert.equal(
    violationOf(v2.GetUserByIDRequestSchema, { userId: "x".repeat(201) }),
    `invalid GetUserByIDRequest.UserId: ${userIdRange}`,
  );
  assert.equal(
    violationOf(v2.ResendInviteCodeRequestSchema, { userId: "" }),
    `invalid ResendInviteCodeRequest.UserId: ${userIdRange}`,
  );
});

test("lengths count runes, not UTF-16 units or bytes", () => {
  // 200 astral characters are 400 UTF-16 units and 800 UTF-8 bytes, but 200 runes.
  assert.equal(violationOf(v2.GetUserByIDRequestSchema, { userId: "😀".repeat(200) }), undefined);
  assert.equal(
    violationOf(v2.GetUserByIDRequestSchema, { userId: "😀".repeat(201) }),
    `invalid GetUserByIDRequest.UserId: ${userIdRange}`,
  );
  const code = (c: string) =>
    violationOf(v2.VerifyInviteCodeRequestSchema, { userId: "u1", verificationCode: c });
  assert.equal(code("é".repeat(20)), undefined);
  assert.equal(code("👩‍💻".repeat(6)), undefined, "a ZWJ sequence is 3 runes");
  assert.match(code("👩‍💻".repeat(7)) ?? "", /between 1 and 20 runes/);
});

test("verification_code over 20 runes fails", () => {
  assert.equal(
    violationOf(v2.VerifyInviteCodeRequestSchema, { userId: "u1", verificationCode: "A".repeat(21) }),
    "invalid VerifyInviteCodeRequest.VerificationCode: value length must be between 1 and 20 runes, inclusive",
  );
  assert.equal(
    violationOf(v2.VerifyInviteCodeRequestSchema, { userId: "u1", verificationCode: "A".repeat(20) }),
    undefined,
  );
});

test("valid requests pass", () => {
  assert.equal(violationOf(v2.GetUserByIDRequestSchema, { userId: "123" }), undefined);
  assert.equal(violationOf(v2.ResendInviteCodeRequestSchema, { userId: "123" }), undefined);
  assert.equal(
    violationOf(v2.VerifyInviteCodeRequestSchema, { userId: "123", verificationCode: "ABC123" }),
    undefined,
  );
  assert.equal(violationOf(v2.CreateInviteCodeRequestSchema, { userId: "123" }), undefined);
  assert.equal(
    violationOf(v2.CreateInviteCodeRequestSchema, {
      userId: "123",
      verification: {
        case: "sendCode",
        value: { urlTemplate: "https://x/{{.Code}}", applicationName: "App" },
      },
    }),
    undefined,
  );
  assert.equal(violationOf(v2.AddHumanUserRequestSchema, validHuman), undefined);
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, {
      ...validHuman,
      userId: "u1",
      username: "ada",
      organization: { org: { case: "orgId", value: "o1" } },
      phone: { phone: "+41791234567", verification: { case: "isVerified", value: true } },
      metadata: [{ key: "k", value: new Uint8Array([1]) }],
      passwordType: { case: "password", value: { password: "Secr3t!", changeRequired: true } },
    }),
    undefined,
  );
  assert.equal(violationOf(mgmt.ResendHumanInitializationRequestSchema, { userId: "1" }), undefined);
  assert.equal(
    violationOf(mgmt.AddHumanUserRequestSchema, {
      userName: "ada",
      profile: { firstName: "Ada", lastName: "Lovelace" },
      email: { email: "Ada Lovelace <ada@example.com>" },
    }),
    undefined,
  );
});

test("an invalid email names the field and Go's parser error", () => {
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, { ...validHuman, email: { email: "not-an-email" } }),
    "invalid AddHumanUserRequest.Email: embedded message failed validation | caused by: " +
      "invalid SetHumanEmail.Email: value must be a valid email address | caused by: mail: missing '@' or angle-addr",
  );
  // Nested Go types are named Outer_Inner.
  assert.equal(
    violationOf(mgmt.AddHumanUserRequestSchema, {
      userName: "ada",
      profile: { firstName: "Ada", lastName: "Lovelace" },
      email: { email: "ada@-example.com" },
    }),
    "invalid AddHumanUserRequest.Email: embedded message failed validation | caused by: " +
      "invalid AddHumanUserRequest_Email.Email: value must be a valid email address | caused by: " +
      "hostname parts cannot begin with hyphens",
  );
  // ignore_empty lets "" through, but nothing else that is not an address.
  assert.equal(
    violationOf(mgmt.ResendHumanInitializationRequestSchema, { userId: "1", email: "Ada Lovelace" }),
    "invalid ResendHumanInitializationRequest.Email: value must be a valid email address | caused by: mail: no angle-addr",
  );
});

test("a missing required profile is reported before fields that come later", () => {
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, { email: { email: "ada@example.com" } }),
    "invalid AddHumanUserRequest.Profile: value is required",
  );
  // user_id is proto3 `optional`: PGV checks those after all other fields and oneofs.
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, { userId: "", email: { email: "ada@example.com" } }),
    "invalid AddHumanUserRequest.Profile: value is required",
  );
  assert.equal(
    violationOf(mgmt.AddHumanUserRequestSchema, { userName: "ada" }),
    "invalid AddHumanUserRequest.Profile: value is required",
  );
});

test("a set sub-message is validated and its error wrapped", () => {
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, { ...validHuman, profile: { givenName: "", familyName: "L" } }),
    "invalid AddHumanUserRequest.Profile: embedded message failed validation | caused by: " +
      `invalid SetHumanProfile.GivenName: ${userIdRange}`,
  );
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, {
      ...validHuman,
      passwordType: { case: "password", value: { password: "" } },
    }),
    "invalid AddHumanUserRequest.Password: embedded message failed validation | caused by: " +
      `invalid Password.Password: ${userIdRange}`,
  );
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, {
      ...validHuman,
      metadata: [
        { key: "a", value: new Uint8Array([1]) },
        { key: "b", value: new Uint8Array() },
      ],
    }),
    "invalid AddHumanUserRequest.Metadata[1]: embedded message failed validation | caused by: " +
      "invalid SetMetadataEntry.Value: value length must be between 1 and 500000 bytes, inclusive",
  );
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, {
      ...validHuman,
      phone: { phone: "+41", verification: { case: "isVerified", value: false } },
    }),
    "invalid AddHumanUserRequest.Phone: embedded message failed validation | caused by: " +
      "invalid SetHumanPhone.IsVerified: value must equal true",
  );
  assert.equal(
    violationOf(mgmt.AddHumanUserRequestSchema, {
      userName: "ada",
      profile: { firstName: "Ada", lastName: "Lovelace" },
      email: { email: "ada@example.com" },
      phone: { phone: "0791234567" },
    }),
    "invalid AddHumanUserRequest.Phone: embedded message failed validation | caused by: " +
      'invalid AddHumanUserRequest_Phone.Phone: value does not have prefix "+"',
  );
});

test("url_template is checked when set, even to an empty string", () => {
  const invite = (urlTemplate: string) =>
    violationOf(v2.CreateInviteCodeRequestSchema, {
      userId: "u1",
      verification: { case: "sendCode", value: { urlTemplate } },
    });
  const tooLong =
    "invalid CreateInviteCodeRequest.SendCode: embedded message failed validation | caused by: " +
    `invalid SendInviteCode.UrlTemplate: ${userIdRange}`;
  assert.equal(invite(""), tooLong);
  assert.equal(invite(`https://x/${"a".repeat(191)}`), tooLong);
  assert.equal(invite(`https://x/${"a".repeat(190)}`), undefined);
  assert.equal(
    violationOf(v2.AddHumanUserRequestSchema, {
      ...validHuman,
      email: { email: "ada@example.com", verification: { case: "sendCode", value: { urlTemplate: "" } } },
    }),
    "invalid AddHumanUserRequest.Email: embedded message failed validation | caused by: " +
      "invalid SetHumanEmail.SendCode: embedded message failed validation | caused by: " +
      `invalid SendEmailVerificationCode.UrlTemplate: ${userIdRange}`,
  );
});

test("compiled checks are cached per schema and stay correct on reuse", () => {
  const bad = create(v2.GetUserByIDRequestSchema, { userId: "" });
  const good = create(v2.GetUserByIDRequestSchema, { userId: "1" });
  for (let i = 0; i < 3; i++) {
    assert.match(firstViolation(v2.GetUserByIDRequestSchema, bad) ?? "", /UserId/);
    assert.equal(firstViolation(v2.GetUserByIDRequestSchema, good), undefined);
  }
  assert.doesNotThrow(() => validateMessage(v2.GetUserByIDRequestSchema, good));
});
