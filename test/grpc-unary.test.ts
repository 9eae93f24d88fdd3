import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { GetUserByIDRequestSchema } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

// Plain unary gRPC is answered by Usher's own handler (src/api/zitadel/grpc-unary.ts); a call
// with a deadline (grpc-timeout) goes through ConnectRPC. Both must put the same bytes on the
// wire, for answers and for every kind of error.
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
    const { date: _date, ...rest } = trailers;
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

test("an answer carries status 0 and the encoded message", async () => {
  const answer = await call(GET_USER, getUser(userId), {});
  assert.equal(answer.trailers["grpc-status"], "0");
  assert.equal(answer.contentType, "application/grpc+proto");
  assert.ok(Buffer.from(answer.data, "base64").length > 5);
});
