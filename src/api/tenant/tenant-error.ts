import { Code } from "@connectrpc/connect";
import { isUsherError, type UsherError } from "../../errors/usher-error.ts";

/** An error in the tenant API's own terms: HTTP status, stable code, message, details, notices. */
export class TenantError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly notices: string[] = [],
  ) {
    super(message);
    this.name = "TenantError";
  }
}

export const notFound = (what = "User", details: Record<string, unknown> = {}) =>
  new TenantError(404, "not_found", `${what} not found.`, details);
export const validation = (fields: Array<{ field: string; message: string }>) =>
  new TenantError(400, "validation_error", fields.map((f) => `${f.field}: ${f.message}`).join("; "), {
    fields,
  });

/**
 * Converts whatever a command threw into the tenant API's error. Messages of unexpected errors
 * never reach the client; the log has them with the request id.
 */
export function toTenantError(e: unknown): TenantError {
  if (e instanceof TenantError) return e;
  if (!isUsherError(e)) return new TenantError(500, "internal", "Something went wrong on our side.");
  return fromUsherError(e);
}

const invalidCode = () => new TenantError(400, "invalid_code", "The code is invalid.");

/** A refusal in the tenant API's terms, by its reason (`UsherError.reason`) and then its code. */
function fromUsherError(e: UsherError): TenantError {
  const notices = Array.isArray(e.details?.notices) ? (e.details.notices as string[]) : [];
  switch (e.code) {
    case Code.Unauthenticated:
      return new TenantError(401, "unauthenticated", "A valid X-API-Key or bearer token is required.");
    case Code.PermissionDenied:
      return new TenantError(403, "forbidden", "The credential may not do this.", {}, notices);
    case Code.NotFound:
      if (e.reason === "no_membership")
        return new TenantError(403, "forbidden", "The credential may not do this.", {}, notices);
      return notFound();
    case Code.AlreadyExists:
      return new TenantError(409, "conflict", `${e.text()}.`);
    case Code.ResourceExhausted: {
      const retry = Number(e.details?.retry_after_seconds ?? 60);
      return new TenantError(429, "rate_limited", "Too many messages were requested; try again later.", {
        retry_after_seconds: retry,
      });
    }
    case Code.InvalidArgument:
      if (e.reason === "invalid_code") return invalidCode();
      return validation([{ field: "body", message: e.text() }]);
    case Code.FailedPrecondition:
      if (e.reason === "user_not_found") return notFound();
      if (e.reason === "invalid_code" || e.reason === "no_code") return invalidCode();
      return new TenantError(409, "conflict", `${e.text()}.`);
    case Code.Aborted:
      return new TenantError(409, "in_progress", `${e.text()}; try again shortly.`);
    case Code.Unavailable:
      return new TenantError(503, "unavailable", "The database is unreachable; try again shortly.", {
        retry_after_seconds: Number(e.details?.retry_after_seconds ?? 1),
      });
    case Code.DeadlineExceeded:
      return new TenantError(504, "deadline_exceeded", "The request took too long and was stopped.");
    default:
      return new TenantError(500, "internal", "Something went wrong on our side.");
  }
}

export function errorBody(e: TenantError) {
  return { code: e.code, message: e.message, details: e.details, notices: e.notices };
}
