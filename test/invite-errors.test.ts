import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { hashCode } from "../src/domain/codes.ts";
import { rest, userClient } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { createUser, errorId } from "./helpers/users.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.stop();
});

const auth = () => ({ token: t.adminToken });

/** Asserts a ZITADEL error on REST: status, gRPC code, `<text> (<id>)` and one ErrorDetail. */
function assertZitadelError(
  res: { status: number; body: Record<string, unknown> },
  status: number,
  code: number,
  text: string,
  id: string,
) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.code, code);
  assert.equal(res.body.message, `${text} (${id})`);
  assert.deepEqual(res.body.details, [
    { "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id, message: text },
  ]);
}

async function invite(userId: string, body: unknown = {}) {
  return rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, { ...auth(), body });
}

describe("ResendInviteCode preconditions", () => {
  test("no invite code yet → FAILED_PRECONDITION COMMAND-Wr3gq", async () => {
    const { userId } = await createUser(t.baseUrl, t.adminToken);
    const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth());
    assertZitadelError(res, 400, Code.FailedPrecondition, "Code not found", "COMMAND-Wr3gq");
  });

  test("a returned code cannot be resent → COMMAND-Wr3gq", async () => {
    const { userId } = await createUser(t.baseUrl, t.adminToken);
    assert.equal((await invite(userId, { returnCode: {} })).status, 200);
    const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth());
    assertZitadelError(res, 400, Code.FailedPrecondition, "Code not found", "COMMAND-Wr3gq");
  });

  test("a blank user id → INVALID_ARGUMENT COMMAND-4jio3, the id CreateInviteCode answers", async () => {
    // ZITADEL's create and resend share one path since #9962, so resend answers create's id.
    const res = await rest(t.baseUrl, "POST", "/v2/users/%20/invite_code/resend", auth());
    assertZitadelError(res, 400, Code.InvalidArgument, "User ID missing", "COMMAND-4jio3");
  });

  test("unknown user → FAILED_PRECONDITION COMMAND-Wgvn4 (400, not 404)", async () => {
    const res = await rest(t.baseUrl, "POST", `/v2/users/${unique("nobody")}/invite_code/resend`, auth());
    assertZitadelError(res, 400, Code.FailedPrecondition, "User could not be found", "COMMAND-Wgvn4");
    const create = await invite(unique("nobody"));
    assertZitadelError(create, 400, Code.FailedPrecondition, "User could not be found", "COMMAND-Wgvn4");
  });

  test("user with a password → COMMAND-EF34g on create and resend", async () => {
    const { userId } = await createUser(t.baseUrl, t.adminToken, {
      password: { password: "correct horse battery" },
    });
    assertZitadelError(
      await invite(userId),
      400,
      Code.FailedPrecondition,
      "User is already initialized",
      "COMMAND-EF34g",
    );
    const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth());
    assertZitadelError(res, 400, Code.FailedPrecondition, "User is already initialized", "COMMAND-EF34g");
  });

  test("a verified email does not block an invite (since ZITADEL #9962)", async () => {
    const email = `${unique("v")}@example.com`;
    const created = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...auth(),
      body: { profile: { givenName: "V", familyName: "E" }, email: { email, isVerified: true } },
    });
    assert.equal((await invite(created.body.userId as string)).status, 200);
  });
});

describe("VerifyInviteCode", () => {
  async function invitedWithCode(): Promise<{ userId: string; code: string }> {
    const { userId } = await createUser(t.baseUrl, t.adminToken);
    const res = await invite(userId, { returnCode: {} });
    return { userId, code: res.body.inviteCode as string };
  }
  const verify = (userId: string, code: string) =>
    rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/verify`, {
      ...auth(),
      body: { verificationCode: code },
    });

  test("wrong code → INVALID_ARGUMENT COMMAND-Wgn4q and an invite.check.failed event", async () => {
    const { userId, code } = await invitedWithCode();
    const wrong = code === "AAAAAA" ? "BBBBBB" : "AAAAAA";
    assertZitadelError(
      await verify(userId, wrong),
      400,
      Code.InvalidArgument,
      "Code is invalid",
      "COMMAND-Wgn4q",
    );
    const events = await t.app.db.query<{ type: string }>(
      "select type from events where aggregate_id = $1 order by sequence",
      [userId],
    );
    assert.equal(events.at(-1)?.type, "user.human.invite.check.failed");
    assert.equal((await verify(userId, code)).status, 200, "the right code still works after one failure");
  });

  test("three failures discard the code: the right one fails, resend → Wr3gq, create works", async () => {
    const { userId, code } = await invitedWithCode();
    const wrong = code === "AAAAAA" ? "BBBBBB" : "AAAAAA";
    for (let i = 0; i < 3; i++)
      assert.equal((await verify(userId, wrong)).body.message, "Code is invalid (COMMAND-Wgn4q)");
    assertZitadelError(
      await verify(userId, code),
      400,
      Code.InvalidArgument,
      "Code is invalid",
      "COMMAND-Wgn4q",
    );
    const resend = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth());
    assert.equal(errorId(resend.body), "COMMAND-Wr3gq");
    assert.equal((await invite(userId)).status, 200);
  });

  test("an expired code is refused and discarded", async () => {
    const { userId, code } = await invitedWithCode();
    t.advance(72 * 3_600_000 + 1_000);
    try {
      assertZitadelError(
        await verify(userId, code),
        400,
        Code.InvalidArgument,
        "Code is invalid",
        "COMMAND-Wgn4q",
      );
    } finally {
      t.advance(-(72 * 3_600_000 + 1_000));
    }
    assert.equal(
      errorId((await verify(userId, code)).body),
      "COMMAND-Wgn4q",
      "a discarded code stays refused",
    );
  });

  test("success verifies the email and ends the code", async () => {
    const { userId, code } = await invitedWithCode();
    assert.equal((await verify(userId, code)).status, 200);
    assert.equal(errorId((await verify(userId, code)).body), "COMMAND-Wgn4q", "a code works once");
    const events = await t.app.db.query<{ type: string }>(
      "select type from events where aggregate_id = $1 order by sequence",
      [userId],
    );
    assert.deepEqual(
      events.slice(-3).map((e) => e.type),
      ["user.human.invite.check.succeeded", "user.human.email.verified", "user.human.invite.check.failed"],
    );
    const resend = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth());
    assert.equal(errorId(resend.body), "COMMAND-Wr3gq");
  });

  test("unknown user → FAILED_PRECONDITION COMMAND-F5g2h", async () => {
    assertZitadelError(
      await verify(unique("nobody"), "ABCDEF"),
      400,
      Code.FailedPrecondition,
      "User could not be found",
      "COMMAND-F5g2h",
    );
  });

  test("codes are stored only as keyed hashes", async () => {
    const { userId, code } = await invitedWithCode();
    const rows = await t.app.db.query<{ code_hash: string }>(
      "select code_hash from user_codes where user_id = $1 and kind = 'invite'",
      [userId],
    );
    assert.equal(rows[0]?.code_hash, hashCode(t.app.deps.keys.codeHmac, code));
    const dump = JSON.stringify(
      await t.app.db.query("select * from events where aggregate_id = $1", [userId]),
    );
    assert.ok(!dump.includes(code), "no event carries the code");
  });
});

describe("URL templates", () => {
  const cases: Array<[string, string]> = [
    ["https://x.example/{{.LoginName}}", "DOMAIN-ieYa7"],
    ["https://x.example/{{.Code", "DOMAIN-oGh5e"],
  ];
  for (const [urlTemplate, id] of cases) {
    test(`${urlTemplate} → INVALID_ARGUMENT ${id}`, async () => {
      const { userId } = await createUser(t.baseUrl, t.adminToken);
      assertZitadelError(
        await invite(userId, { sendCode: { urlTemplate } }),
        400,
        Code.InvalidArgument,
        "URL Template is invalid",
        id,
      );
    });
  }
});

describe("authentication and organization context", () => {
  test("no token → 401 'auth header missing' without detail", async () => {
    const res = await rest(t.baseUrl, "GET", "/v2/users/x");
    assert.equal(res.status, 401);
    assert.equal(res.body.code, Code.Unauthenticated);
    assert.equal(res.body.message, "auth header missing");
    assert.deepEqual(res.body.details, []);
  });

  test("bad token → 401 Errors.Token.Invalid (AUTH-7fs1e), on REST and gRPC", async () => {
    const res = await rest(t.baseUrl, "GET", "/v2/users/x", { token: "usher_pat_nope" });
    assertZitadelError(res, 401, Code.Unauthenticated, "Errors.Token.Invalid", "AUTH-7fs1e");
    const err = await userClient("grpc", t.baseUrl, "usher_pat_nope")
      .getUserByID({ userId: "x" })
      .catch((e) => e);
    assert.ok(err instanceof ConnectError);
    assert.equal(err.code, Code.Unauthenticated);
    assert.equal(err.findDetails(ErrorDetailSchema)[0]?.id, "AUTH-7fs1e");
  });

  test("unknown x-zitadel-orgid → 403 AUTH-Bs7Ds", async () => {
    const res = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...auth(),
      headers: { "x-zitadel-orgid": "no-such-org" },
      body: { profile: { givenName: "A", familyName: "B" }, email: { email: "a@example.com" } },
    });
    assertZitadelError(res, 403, Code.PermissionDenied, "Organisation doesn't exist", "AUTH-Bs7Ds");
  });

  test("GetUserByID of an unknown user → 404 QUERY-Dfbg2", async () => {
    const res = await rest(t.baseUrl, "GET", `/v2/users/${unique("nobody")}`, auth());
    assertZitadelError(res, 404, Code.NotFound, "User could not be found", "QUERY-Dfbg2");
  });
});

describe("validation and routing", () => {
  test("field validation → 400 INVALID_ARGUMENT with PGV's message and no detail", async () => {
    const res = await rest(t.baseUrl, "POST", "/v2/users/u1/invite_code/verify", {
      ...auth(),
      body: { verificationCode: "" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, Code.InvalidArgument);
    assert.match(String(res.body.message), /^invalid VerifyInviteCodeRequest\.VerificationCode: /);
    assert.deepEqual(res.body.details, []);
  });

  test("an unimplemented method → 501 UNIMPLEMENTED on REST and Connect", async () => {
    const res = await rest(t.baseUrl, "POST", "/v2/users/u1/passkeys", { ...auth(), body: {} });
    assert.equal(res.status, 501);
    assert.equal(res.body.code, Code.Unimplemented);
    const err = await userClient("connect", t.baseUrl, t.adminToken)
      .registerPasskey({ userId: "u1" })
      .catch((e) => e);
    assert.ok(err instanceof ConnectError);
    assert.equal(err.code, Code.Unimplemented);
  });

  test("unknown path → 404 Not Found; wrong verb → 405", async () => {
    const res = await rest(t.baseUrl, "GET", "/v2/nothing/here", auth());
    assert.equal(res.status, 404);
    assert.deepEqual({ code: res.body.code, message: res.body.message }, { code: 5, message: "Not Found" });
    const verb = await rest(t.baseUrl, "PATCH", "/v2/users/u1/invite_code", auth());
    assert.equal(verb.status, 405);
    assert.equal(verb.body.message, "Method Not Allowed");
  });

  test("a malformed JSON body → 400", async () => {
    const res = await rest(t.baseUrl, "POST", "/v2/users/human", { ...auth(), body: "{not json" });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, Code.InvalidArgument);
  });
});
