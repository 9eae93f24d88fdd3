import { listOffset } from "../domain/list-limits.ts";

/**
 * Building blocks of the list queries: ZITADEL's text query methods and pagination, as SQL
 * fragments with numbered parameters appended to a shared list.
 */

/** `TextQueryMethod` of `zitadel.v1` and `zitadel.object.v2` (same numbers in both). */
export const TextMethod = {
  Equals: 0,
  EqualsIgnoreCase: 1,
  StartsWith: 2,
  StartsWithIgnoreCase: 3,
  Contains: 4,
  ContainsIgnoreCase: 5,
  EndsWith: 6,
  EndsWithIgnoreCase: 7,
} as const;

/** Rows to skip and return, and the direction of the list's sort column. */
export interface Page {
  offset: number;
  /** Already clamped by `pageOf`. */
  limit: number;
  asc: boolean;
}

/** The most rows one list call returns; a limit of 0 asks for this many. */
export const MAX_LIST_LIMIT = 1000;

/** A request's `ListQuery` as a page: limit 0 (unset) or above the maximum is the maximum. */
export function pageOf(query: { offset?: bigint; limit?: number; asc?: boolean } | undefined): Page {
  const limit = query?.limit ?? 0;
  return {
    offset: listOffset(query?.offset),
    limit: limit === 0 || limit > MAX_LIST_LIMIT ? MAX_LIST_LIMIT : limit,
    asc: query?.asc ?? false,
  };
}

/** `limit $n offset $m` for a page. */
export function pageClause(page: Page, params: unknown[]): string {
  params.push(page.limit, page.offset);
  return `limit $${params.length - 1} offset $${params.length}`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A condition matching `column` against `value` with one of the text methods. */
export function textMatch(column: string, value: string, method: number, params: unknown[]): string {
  const ignoreCase = method % 2 === 1;
  const base = method - (ignoreCase ? 1 : 0);
  if (base === TextMethod.Equals) {
    params.push(value);
    return ignoreCase ? `lower(${column}) = lower($${params.length})` : `${column} = $${params.length}`;
  }
  const v = escapeLike(value);
  params.push(base === TextMethod.StartsWith ? `${v}%` : base === TextMethod.EndsWith ? `%${v}` : `%${v}%`);
  return `${column} ${ignoreCase ? "ilike" : "like"} $${params.length}`;
}
