/**
 * CPU per unary call of ConnectRPC's gRPC handler alone, in process (no sockets, no HTTP/2):
 * the universal handler of `UserService/ResendInviteCode` with an implementation that answers at
 * once, against decoding, calling and encoding the same messages directly. What the difference
 * costs is what ConnectRPC adds to every gRPC call (see ARCHITECTURE, decision 3).
 *
 *   node --import tsx bench/connect-handler-cost.ts
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createConnectRouter, createContextValues } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { MAX_MESSAGE_BYTES } from "../src/api/zitadel/connect-adapter.ts";
import { once } from "../src/api/zitadel/connect-node-io.ts";

const CALLS = 20_000;
const method = UserService.method.resendInviteCode;
const answer = async () => ({
  details: { sequence: 7n, changeDate: { seconds: 1764800000n, nanos: 5 }, resourceOwner: "313373" },
});

// The router as Usher configures it.
const router = createConnectRouter({
  readMaxBytes: MAX_MESSAGE_BYTES,
  acceptCompression: [compressionGzip, compressionBrotli],
});
router.rpc(method, answer as never);
const [only] = router.handlers;
if (!only) throw new Error("no handler");
const handler = only;

const message = toBinary(method.input, create(method.input, { userId: "313373" }));
const frame = Buffer.alloc(5 + message.length);
frame.writeUInt32BE(message.length, 1);
frame.set(message, 5);
const header = new Headers({ "content-type": "application/grpc", te: "trailers" });

async function throughConnect(): Promise<void> {
  const res = await handler({
    httpVersion: "2.0",
    method: "POST",
    url: `http://usher.invalid${handler.requestPath}`,
    header,
    body: once(frame),
    signal: new AbortController().signal,
    contextValues: createContextValues(),
  });
  for await (const _ of res.body ?? []) {
    // drained: the answer and the status, as the adapter writes them
  }
}

async function direct(): Promise<void> {
  fromBinary(method.input, frame.subarray(5));
  const out = toBinary(method.output, create(method.output, await answer()));
  const answerFrame = Buffer.allocUnsafe(5 + out.length);
  answerFrame.writeUInt32BE(out.length, 1);
  answerFrame.set(out, 5);
}

async function cpuPerCall(call: () => Promise<void>, concurrency: number): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < CALLS / concurrency; i++) await Promise.all(Array.from({ length: concurrency }, call));
  const used = process.cpuUsage(started);
  return (used.user + used.system) / CALLS;
}

for (let round = 1; round <= 2; round++) {
  for (const concurrency of [1, 50]) {
    const connect = await cpuPerCall(throughConnect, concurrency);
    const plain = await cpuPerCall(direct, concurrency);
    process.stdout.write(
      `round ${round}, ${concurrency} in flight: ConnectRPC ${connect.toFixed(1)} µs/call, ` +
        `decode + call + encode ${plain.toFixed(1)} µs/call\n`,
    );
  }
}
