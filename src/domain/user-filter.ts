/**
 * What ListUsers can ask for, independent of the wire format: a tree of filters, a sort
 * column, and a page. The API layer builds it from `zitadel.user.v2.ListUsersRequest`; the
 * query layer compiles it to parameterised SQL.
 */

/** ZITADEL's text query methods (`TEXT_QUERY_METHOD_*`). */
export type TextMethod =
  | "equals"
  | "equalsIgnoreCase"
  | "startsWith"
  | "startsWithIgnoreCase"
  | "contains"
  | "containsIgnoreCase"
  | "endsWith"
  | "endsWithIgnoreCase";

/** User fields a text filter can look at (`loginName` matches the username, Usher's only login name). */
export type TextField =
  | "username"
  | "loginName"
  | "givenName"
  | "familyName"
  | "nickName"
  | "displayName"
  | "email"
  | "phone";

export type UserFilter =
  | { kind: "text"; field: TextField; value: string; method: TextMethod }
  /** An internal state number (1, 2, 4, 6); any other number matches nobody. */
  | { kind: "state"; state: number }
  /** `null` (TYPE_UNSPECIFIED) matches nobody. */
  | { kind: "type"; type: "human" | "machine" | null }
  | { kind: "ids"; ids: readonly string[] }
  /** Matched case-insensitively. */
  | { kind: "emails"; emails: readonly string[] }
  | { kind: "org"; orgId: string }
  | { kind: "and"; filters: readonly UserFilter[] }
  | { kind: "or"; filters: readonly UserFilter[] }
  | { kind: "not"; filter: UserFilter };

/** Sort columns (`USER_FIELD_NAME_*`); `id` is ZITADEL's default for UNSPECIFIED. */
export type UserSortField =
  | "id"
  | "username"
  | "givenName"
  | "familyName"
  | "nickName"
  | "displayName"
  | "email"
  | "state"
  | "type"
  | "createdAt";

export interface UserListRequest {
  offset: number;
  /** 0 means no limit (ZITADEL's rule). */
  limit: number;
  asc: boolean;
  sort: UserSortField;
  /** All must hold. */
  filters: readonly UserFilter[];
}

/** Which users a caller may see: every user, or those of some organizations plus itself. */
export type ReadScope = { all: true } | { all: false; orgIds: readonly string[]; selfId: string };

/** Deepest and/or/not nesting ListUsers accepts, as ZITADEL (`USER-zsQ97`). */
export const MAX_FILTER_DEPTH = 20;

/** `%`, `_` and `\` taken literally in a LIKE pattern that uses `escape '\'`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
