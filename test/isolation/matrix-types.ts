import type { DescMethod } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";

export type CallerKind =
  | "instanceOwner"
  | "orgAOwner"
  | "orgAManager"
  | "orgAViewer"
  | "orgBOwner"
  | "self"
  | "revoked"
  | "expired"
  | "none";
export const CALLER_KINDS: readonly CallerKind[] = [
  "instanceOwner",
  "orgAOwner",
  "orgAManager",
  "orgAViewer",
  "orgBOwner",
  "self",
  "revoked",
  "expired",
  "none",
];
export type Where = "A" | "B";

/** What a call should answer: success, or an error code with ZITADEL's id (when it has one). */
export type Outcome = "ok" | { code: Code; id?: string };

/** The world every case runs in: two organizations and a token per caller kind. */
export interface World {
  orgs: Record<Where, string>;
  tokens: Record<Exclude<CallerKind, "self" | "none">, string>;
}

/** A fresh target for one case: a user of the organization, with a token of its own. */
export interface Target {
  orgId: string;
  userId: string;
  email: string;
  selfToken: string;
  /** Anything the row's setup prepared (e.g. a returned code). */
  extra: Record<string, string>;
}

/** One implemented method: how to prepare a target, call it, and what each caller gets. */
export interface Row {
  setup?: (target: Target) => Promise<void>;
  request: (target: Target) => Record<string, unknown>;
  expect: (kind: CallerKind, where: Where) => Outcome;
  /** Headers for the call (e.g. `x-zitadel-orgid` for v1 methods). */
  headers?: (target: Target) => Record<string, string>;
}

export const key = (m: DescMethod) => `${m.parent.typeName}/${m.name}`;

const unauthenticated = (kind: CallerKind): Outcome | undefined =>
  kind === "none"
    ? { code: Code.Unauthenticated }
    : kind === "revoked" || kind === "expired"
      ? { code: Code.Unauthenticated, id: "AUTH-7fs1e" }
      : undefined;

/**
 * The common expectation for a permission on the target's organization: instance roles hold
 * everywhere; org roles only at home; no role at all → NOT_FOUND `AUTHZ-cdgFk`; a role without
 * the permission → PERMISSION_DENIED with the call's id.
 */
export function permission(
  what: "read" | "write",
  deniedId: string,
  options: { self?: boolean } = {},
): (kind: CallerKind, where: Where) => Outcome {
  return (kind, where) => {
    const auth = unauthenticated(kind);
    if (auth) return auth;
    const noMembership: Outcome = { code: Code.NotFound, id: "AUTHZ-cdgFk" };
    switch (kind) {
      case "instanceOwner":
        return "ok";
      case "orgAOwner":
      case "orgAManager":
        return where === "A" ? "ok" : noMembership;
      case "orgAViewer":
        if (where === "B") return noMembership;
        return what === "read" ? "ok" : { code: Code.PermissionDenied, id: deniedId };
      case "orgBOwner":
        return where === "B" ? "ok" : noMembership;
      default:
        return options.self ? "ok" : noMembership;
    }
  };
}

/** Any valid token may call (e.g. code verification: the code is the proof). */
export function authenticated(): (kind: CallerKind, where: Where) => Outcome {
  return (kind) => unauthenticated(kind) ?? "ok";
}
