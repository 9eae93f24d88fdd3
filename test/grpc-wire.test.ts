import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { GetUserByIDRequestSchema } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { UserService as BetaUserService } from "@zitadel/proto/zitadel/user/v2beta/user_service_pb.js";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

// gRPC on the wire, as grpc-js and other gRPC clients read it: every answer and every error is
// HTTP 200 with a grpc-status trailer, also for a service or method Usher does not serve. Plain
// unary gRPC is answered by Usher's own handler (src/api/zitadel/grpc-unary.ts); a call with a
// deadline (grpc-timeout) goes through ConnectRPC: both must put the same bytes on the wire.
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
    const { date: _date, ...rest } = ended;
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

test("plain unary gRPC answers byte for byte as ConnectRPC does", async () => {
  const cases: Array<[string, string, () => Buffer, Record<string, string>]> = [
    ["an answer", GET_USER, () => getUser(userId), {}],
    ["not found, with error details", GET_USER, () => getUser("nobody"), {}],
    ["a field that fails validation", GET_USER, () => getUser(""), {}],
    ["an invalid token", GET_USER, () => getUser(userId), { authorization: "Bearer nope" }],
    ["no token", GET_USER, () => getUser(userId), { authorization: "" }],
    ["an incomplete envelope", GET_USER, () => Buffer.from([0, 0, 0, 0, 9, 1]), {}],
    ["a second message", GET_USER, () => Buffer.concat([getUser(userId), getUser(userId)]), {}],
    ["no message", GET_USER, () => Buffer.alloc(0), {}],
    ["bytes that are no message", GET_USER, () => frame(Buffer.from([0xff, 0xff, 0xff])), {}],
    ["a compressed envelope without an encoding", GET_USER, () => Buffer.from([1, 0, 0, 0, 0]), {}],
  ];
  for (const [name, path, body, headers] of cases) {
    const own = await call(path, body(), headers);
    const connect = await call(path, body(), { ...headers, "grpc-timeout": "10S" });
    assert.deepEqual(own, connect, name);
    assert.equal(own.status, 200, name);
  }
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
