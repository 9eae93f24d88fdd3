import { Code } from "@connectrpc/connect";
import { messageFor } from "./messages.ts";

/** How an error is presented on the ZITADEL surfaces. */
export type ErrorStyle =
  /** `<text> (<id>)` with one `zitadel.v1.ErrorDetail` — ZITADEL's business errors. */
  | "zitadel"
  /** the bare message, no detail — validation (PGV) and transport-level errors. */
  | "plain";

/**
 * Why a request was refused, where a surface answers by what happened rather than by ZITADEL's
 * code (the tenant API's `not_found` and `invalid_code`, the pages' silence): said at the throw
 * site, so no surface keeps a list of throw-site ids to recover it.
 */
export type Reason =
  /** No such user (ZITADEL may answer FAILED_PRECONDITION for it). */
  | "user_not_found"
  /** The presented code is wrong, expired, discarded or empty. */
  | "invalid_code"
  /** No code of the kind is pending. */
  | "no_code"
  /** The caller has no membership where the decision was asked (ZITADEL's NOT_FOUND). */
  | "no_membership"
  /** A password shorter than the policy's minimum (the pages say the length, not the rules). */
  | "password_too_short";

export interface UsherErrorInit {
  /** The Connect/gRPC code; decides the HTTP status on every surface. */
  code: Code;
  /** A stable identifier of the throw site, e.g. `COMMAND-Wr3gq`. */
  id?: string;
  /** The i18n key (ZITADEL's), e.g. `Errors.User.Code.NotFound`, or a literal message. */
  key: string;
  style?: ErrorStyle;
  cause?: unknown;
  /** Extra machine-readable facts (tenant API `details`), never secrets. */
  details?: Record<string, unknown>;
  /** An HTTP status other than the code's usual one (e.g. 422 for a reused Idempotency-Key). */
  httpStatus?: number;
  reason?: Reason;
}

/**
 * The one error type of Usher. Every error a client can see is one of these; each surface
 * converts it once (Connect/gRPC, REST in ZITADEL's shape, the tenant API body).
 */
export class UsherError extends Error {
  readonly code: Code;
  readonly id: string | undefined;
  readonly key: string;
  readonly style: ErrorStyle;
  readonly details: Record<string, unknown> | undefined;
  readonly httpStatus: number | undefined;
  readonly reason: Reason | undefined;

  constructor(init: UsherErrorInit) {
    super(init.id ? `${init.key} (${init.id})` : init.key, { cause: init.cause });
    this.name = "UsherError";
    this.code = init.code;
    this.id = init.id;
    this.key = init.key;
    this.style = init.style ?? (init.id ? "zitadel" : "plain");
    this.details = init.details;
    this.httpStatus = init.httpStatus;
    this.reason = init.reason;
  }

  /** The human text, translated from the key where a translation exists. */
  text(): string {
    return messageFor(this.key);
  }

  /** The status message as ZITADEL prints it: `<text> (<id>)`, or the bare text. */
  statusMessage(): string {
    return this.style === "zitadel" && this.id ? `${this.text()} (${this.id})` : this.text();
  }
}

const make =
  (code: Code) =>
  (id: string | undefined, key: string, cause?: unknown, reason?: Reason): UsherError =>
    new UsherError({ code, id, key, cause, reason });

export const invalidArgument = make(Code.InvalidArgument);
export const failedPrecondition = make(Code.FailedPrecondition);
export const notFound = make(Code.NotFound);
export const alreadyExists = make(Code.AlreadyExists);
export const permissionDenied = make(Code.PermissionDenied);
export const unauthenticated = make(Code.Unauthenticated);
export const resourceExhausted = make(Code.ResourceExhausted);
export const internal = make(Code.Internal);
export const unavailable = make(Code.Unavailable);
export const unimplemented = make(Code.Unimplemented);

/** A validation failure in protoc-gen-validate's words: INVALID_ARGUMENT without a detail. */
export function validationError(message: string): UsherError {
  return new UsherError({ code: Code.InvalidArgument, key: message, style: "plain" });
}

export function isUsherError(e: unknown): e is UsherError {
  return e instanceof UsherError;
}
