import http2 from "node:http2";
import {
  create,
  type DescMessage,
  type DescMethodUnary,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";

/**
 * A lean unary gRPC client for load: one HTTP/2 connection, protobuf encoded by hand, the
 * answer's grpc-status checked and its message decoded. It spends a fraction of the CPU of a
 * full client (cancellation, interceptors, streaming), so on a shared machine the load
 * generator takes less from the server it measures; the official clients are exercised by
 * the test suite.
 */
export class LeanGrpcClient {
  readonly #session: http2.ClientHttp2Session;
  readonly #authorization: string;

  constructor(baseUrl: string, token: string) {
    this.#session = http2.connect(baseUrl);
    this.#session.on("error", () => {});
    this.#authorization = `Bearer ${token}`;
  }

  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
  ): Promise<MessageShape<O>> {
    const message = toBinary(method.input, create(method.input, input));
    const frame = Buffer.allocUnsafe(5 + message.length);
    frame[0] = 0;
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    return new Promise((resolve, reject) => {
      const req = this.#session.request({
        ":method": "POST",
        ":path": `/${method.parent.typeName}/${method.name}`,
        "content-type": "application/grpc",
        te: "trailers",
        authorization: this.#authorization,
      });
      const chunks: Buffer[] = [];
      let status: string | undefined;
      let text = "";
      const take = (h: http2.IncomingHttpHeaders) => {
        if (h["grpc-status"] !== undefined) {
          status = String(h["grpc-status"]);
          text = decodeURIComponent(String(h["grpc-message"] ?? ""));
        }
      };
      req.on("response", take);
      req.on("trailers", take);
      req.on("data", (d: Buffer) => chunks.push(d));
      req.on("error", reject);
      req.on("close", () => {
        if (status !== "0") return reject(new Error(`grpc-status ${status ?? "missing"}: ${text}`));
        const body = Buffer.concat(chunks);
        resolve(fromBinary(method.output, body.subarray(5)));
      });
      req.end(frame);
    });
  }

  close(): void {
    this.#session.close();
  }
}
