import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { databaseErrorKind } from "../../db/db-errors.ts";
import { isUsherError, UsherError } from "../../errors/usher-error.ts";

/** Anything thrown below a handler, as an UsherError; unexpected errors never leak their text. */
export function asUsherError(e: unknown): UsherError {
  if (isUsherError(e)) return e;
  if (e instanceof ConnectError)
    return new UsherError({ code: e.code, key: e.rawMessage, style: "plain", cause: e });
  const kind = databaseErrorKind(e);
  if (kind) return kind;
  return new UsherError({ code: Code.Internal, id: "USHER-INT500", key: "Errors.Internal", cause: e });
}

/** The Connect/gRPC/gRPC-Web form: message `<text> (<id>)` and one `zitadel.v1.ErrorDetail`. */
export function toConnectError(e: UsherError): ConnectError {
  const details =
    e.style === "zitadel" && e.id
      ? [{ desc: ErrorDetailSchema, value: { id: e.id, message: e.text() } }]
      : [];
  const retry = retryAfter(e);
  const metadata = retry === undefined ? undefined : new Headers({ "retry-after": String(retry) });
  return new ConnectError(e.statusMessage(), e.code, metadata, details, e);
}

/** Seconds a throttled caller should wait, when the error says. */
export function retryAfter(e: UsherError): number | undefined {
  const value = e.details?.retry_after_seconds;
  return typeof value === "number" ? value : undefined;
}

/** HTTP status for a code: grpc-gateway's mapping (FAILED_PRECONDITION is 400). */
export function httpStatus(code: Code, override?: number): number {
  return override ?? HTTP_STATUS[code] ?? 500;
}

const HTTP_STATUS: Readonly<Partial<Record<Code, number>>> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

/** grpc-gateway's JSON error body. */
export function restErrorBody(e: UsherError): Record<string, unknown> {
  const body: Record<string, unknown> = { code: e.code, message: e.statusMessage() };
  body.details =
    e.style === "zitadel" && e.id
      ? [{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id: e.id, message: e.text() }]
      : [];
  return body;
}
