import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { GetUserByIDRequestSchema } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { UserService as BetaUserService } from "@zitadel/proto/zitadel/user/v2beta/user_service_pb.js";
import { MAX_MESSAGE_BYTES } from "../src/api/zitadel/connect-adapter.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

// gRPC on the wire, as grpc-js and other gRPC clients read it: every answer and every error is
// HTTP 200 with a grpc-status trailer, also for a service or method Usher does not serve. Every
// call is served by ConnectRPC's gRPC handler behind Usher's own Node glue
// (src/api/zitadel/connect-node-io.ts); the expected answers below are the ones ConnectRPC gives
// behind connect-node's own glue, byte for byte.
let t: TestApp;
let userId: string;
before(async () => {
  t = await startTestApp();
  ({ userId } = await createUser(t.baseUrl, t.adminToken));
});
after(() => t?.stop());

interface Answer {
  contentType: unknown;
  status: unknown;
  trailers: Record<string, unknown>;
  data: string;
}

async function call(path: string, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  const session = http2.connect(t.baseUrl);
  try {
    const req = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      authorization: `Bearer ${t.adminToken}`,
      ...headers,
    });
    req.end(body);
    const chunks: Buffer[] = [];
    let response: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    req.on("response", (h) => {
      response = h;
    });
    req.on("trailers", (h) => {
      trailers = h;
    });
    req.on("data", (d: Buffer) => chunks.push(d));
    await new Promise((r) => req.on("close", r));
    // A trailers-only answer (an error before any message) carries the status in its headers.
    const ended = Object.keys(trailers).length > 0 ? trailers : pickGrpc(response);
    // Plain entries only (Node adds a symbol of sensitive headers).
    const { date: _date, ...rest } = Object.fromEntries(Object.entries(ended));
    return {
      contentType: response["content-type"],
      status: response[":status"],
      trailers: rest,
      data: Buffer.concat(chunks).toString("base64"),
    };
  } finally {
    session.close();
  }
}

function pickGrpc(headers: http2.IncomingHttpHeaders): http2.IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith("grpc-")));
}

function frame(message: Uint8Array): Buffer {
  const f = Buffer.alloc(5 + message.length);
  f.writeUInt32BE(message.length, 1);
  f.set(message, 5);
  return f;
}

const GET_USER = "/zitadel.user.v2.UserService/GetUserByID";
const getUser = (id: string) =>
  frame(toBinary(GetUserByIDRequestSchema, create(GetUserByIDRequestSchema, { userId: id })));

/** Status, content type and trailers of each case, as recorded behind connect-node's glue. */
const EXPECTED: Array<[string, () => Buffer, Record<string, string>, Record<string, string>]> = [
  ["an answer", () => getUser(userId), {}, { "grpc-status": "0" }],
  [
    "not found, with error details",
    () => getUser("nobody"),
    {},
    {
      "grpc-message": "User%20could%20not%20be%20found%20(QUERY-Dfbg2)",
      "grpc-status": "5",
      "grpc-status-details-bin":
        "CAUSJVVzZXIgY291bGQgbm90IGJlIGZvdW5kIChRVUVSWS1EZmJnMikaVAoqdHlwZS5nb29nbGVhcGlzLmNvbS96aXRhZGVsLnYxLkVycm9yRGV0YWlsEiYKC1FVRVJZLURmYmcyEhdVc2VyIGNvdWxkIG5vdCBiZSBmb3VuZA",
    },
  ],
  [
    "a field that fails validation",
    () => getUser(""),
    {},
    {
      "grpc-message":
        "invalid%20GetUserByIDRequest.UserId%3A%20value%20length%20must%20be%20between%201%20and%20200%20runes%2C%20inclusive",
      "grpc-status": "3",
    },
  ],
  [
    "an invalid token",
    () => getUser(userId),
    { authorization: "Bearer nope" },
    {
      "grpc-message": "Errors.Token.Invalid%20(AUTH-7fs1e)",
      "grpc-status": "16",
      "grpc-status-details-bin":
        "CBASIUVycm9ycy5Ub2tlbi5JbnZhbGlkIChBVVRILTdmczFlKRpQCip0eXBlLmdvb2dsZWFwaXMuY29tL3ppdGFkZWwudjEuRXJyb3JEZXRhaWwSIgoKQVVUSC03ZnMxZRIURXJyb3JzLlRva2VuLkludmFsaWQ",
    },
  ],
  [
    "no token",
    () => getUser(userId),
    { authorization: "" },
    { "grpc-message": "auth%20header%20missing", "grpc-status": "16" },
  ],
  [
    "an incomplete envelope",
    () => Buffer.from([0, 0, 0, 0, 9, 1]),
    {},
    { "grpc-message": "protocol%20error%3A%20incomplete%20envelope", "grpc-status": "3" },
  ],
  [
    "a second message",
    () => Buffer.concat([getUser(userId), getUser(userId)]),
    {},
    {
      "grpc-message": "protocol%20error%3A%20received%20extra%20input%20message%20for%20unary%20method",
      "grpc-status": "12",
    },
  ],
  [
    "no message",
    () => Buffer.alloc(0),
    {},
    {
      "grpc-message": "protocol%20error%3A%20missing%20input%20message%20for%20unary%20method",
      "grpc-status": "12",
    },
  ],
  [
    "bytes that are no message",
    () => frame(Buffer.from([0xff, 0xff, 0xff])),
    {},
    { "grpc-message": "parse%20binary%3A%20premature%20EOF", "grpc-status": "13" },
  ],
  [
    "a compressed envelope without an encoding",
    () => Buffer.from([1, 0, 0, 0, 0]),
    {},
    {
      "grpc-message": "received%20compressed%20envelope%2C%20but%20do%20not%20know%20how%20to%20decompress",
      "grpc-status": "13",
    },
  ],
];

test("unary gRPC answers byte for byte as ConnectRPC behind connect-node does, with or without a deadline", async () => {
  for (const [name, body, headers, trailers] of EXPECTED) {
    for (const deadline of [{}, { "grpc-timeout": "10S" }] as Array<Record<string, string>>) {
      const answer = await call(GET_USER, body(), { ...headers, ...deadline });
      const label = `${name}${"grpc-timeout" in deadline ? " (with a deadline)" : ""}`;
      assert.equal(answer.status, 200, label);
      assert.equal(answer.contentType, "application/grpc+proto", label);
      assert.deepEqual(answer.trailers, trailers, label);
      // Only an answer carries a message; an error is trailers alone.
      assert.equal(answer.data.length > 0, name === "an answer", label);
    }
  }
});

test("a message past the limit is RESOURCE_EXHAUSTED; a body past it is still read as ConnectRPC reads it", async () => {
  const big = Buffer.alloc(5 + MAX_MESSAGE_BYTES + 1);
  big.writeUInt32BE(MAX_MESSAGE_BYTES + 1, 1);
  const answer = await call(GET_USER, big, {});
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.trailers, {
    "grpc-message": "message%20size%204194305%20is%20larger%20than%20configured%20readMaxBytes%204194304",
    "grpc-status": "8",
  });
  // A 3 MiB message, then a second one as large as allowed: the body passes the limit a long way
  // inside the second envelope, which is still read whole and parsed (its zero bytes are no
  // message), not cut short at the limit (that would answer "incomplete envelope").
  const second = Buffer.alloc(5 + MAX_MESSAGE_BYTES);
  second.writeUInt32BE(MAX_MESSAGE_BYTES, 1);
  const extra = await call(GET_USER, Buffer.concat([getUser("u".repeat(3 * 1024 * 1024)), second]), {});
  assert.deepEqual(extra.trailers, {
    "grpc-message": "parse%20binary%3A%20illegal%20tag%3A%20field%20no%200%20wire%20type%200",
    "grpc-status": "13",
  });
});

test("every error of a unary call is HTTP 200 with its grpc-status", async () => {
  const cases: Array<[string, () => Buffer, Record<string, string>, number]> = [
    ["not found", () => getUser("nobody"), {}, 5],
    ["a field that fails validation", () => getUser(""), {}, 3],
    ["an invalid token", () => getUser(userId), { authorization: "Bearer nope" }, 16],
    ["no token", () => getUser(userId), { authorization: "" }, 16],
    ["an incomplete envelope", () => Buffer.from([0, 0, 0, 0, 9, 1]), {}, 3],
    ["a second message", () => Buffer.concat([getUser(userId), getUser(userId)]), {}, 12],
    ["no message", () => Buffer.alloc(0), {}, 12],
    ["bytes that are no message", () => frame(Buffer.from([0xff, 0xff, 0xff])), {}, 13],
  ];
  for (const [name, body, headers, code] of cases) {
    const answer = await call(GET_USER, body(), headers);
    assert.equal(answer.status, 200, name);
    assert.equal(answer.trailers["grpc-status"], String(code), `${name}: ${JSON.stringify(answer)}`);
  }
});

test("a service or method Usher does not serve is UNIMPLEMENTED (grpc-status 12), not an HTTP 404", async () => {
  for (const path of [
    "/zitadel.user.v2beta.UserService/GetUserByID",
    "/zitadel.user.v2.UserService/NoSuchMethod",
    "/zitadel.nothing.v1.Nothing/Call",
  ]) {
    const answer = await call(path, getUser(userId), {});
    assert.equal(answer.status, 200, path);
    assert.equal(answer.trailers["grpc-status"], "12", `${path}: ${JSON.stringify(answer)}`);
  }
  // A real gRPC client (connect-node's, as @zitadel/node's v2beta client) reads it as UNIMPLEMENTED.
  const beta = createClient(BetaUserService, createGrpcTransport({ baseUrl: t.baseUrl, interceptors: [] }));
  await assert.rejects(
    beta.getUserByID({ userId }, { headers: { authorization: `Bearer ${t.adminToken}` } }),
    (e: unknown) => ConnectError.from(e).code === Code.Unimplemented,
  );
  // gRPC-Web over HTTP/1.1: the status in the headers; Connect: its own 404 with code "unimplemented".
  const web = await fetch(`${t.baseUrl}/zitadel.user.v2beta.UserService/GetUserByID`, {
    method: "POST",
    headers: { "content-type": "application/grpc-web+proto", authorization: `Bearer ${t.adminToken}` },
    body: getUser(userId),
  });
  assert.equal(web.status, 200);
  assert.equal(web.headers.get("grpc-status"), "12");
  const connect = await fetch(`${t.baseUrl}/zitadel.user.v2beta.UserService/GetUserByID`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${t.adminToken}` },
    body: JSON.stringify({ userId }),
  });
  assert.equal(connect.status, 404);
  assert.equal(((await connect.json()) as { code: string }).code, "unimplemented");
});

test("an answer carries status 0 and the encoded message", async () => {
  const answer = await call(GET_USER, getUser(userId), {});
  assert.equal(answer.trailers["grpc-status"], "0");
  assert.equal(answer.contentType, "application/grpc+proto");
  assert.ok(Buffer.from(answer.data, "base64").length > 5);
});
