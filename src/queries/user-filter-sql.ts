import {
  escapeLike,
  type ReadScope,
  type TextField,
  type TextMethod,
  type UserFilter,
  type UserSortField,
} from "../domain/user-filter.ts";

/** A WHERE fragment and the values its `$n` placeholders refer to. */
export interface SqlWhere {
  sql: string;
  params: unknown[];
}

const TEXT_COLUMNS: Readonly<Record<TextField, string>> = {
  username: "username",
  loginName: "username",
  givenName: "given_name",
  familyName: "family_name",
  nickName: "nick_name",
  displayName: "display_name",
  email: "email",
  phone: "phone",
};

/** Columns with a `lower(col) text_pattern_ops` index (migration 0003): worth a lower-case twin predicate. */
const LOWER_INDEXED = new Set(["username", "email"]);

const SORT_COLUMNS: Readonly<Record<UserSortField, string>> = {
  id: "id",
  username: "username",
  givenName: "given_name",
  familyName: "family_name",
  nickName: "nick_name",
  displayName: "display_name",
  email: "email",
  state: "state",
  type: "type",
  createdAt: "created_at",
};

/**
 * Compiles the caller's read scope and a list of filters (all must hold) into one WHERE
 * clause. Every value is a parameter; LIKE patterns escape `%`, `_` and `\`.
 */
export function compileWhere(scope: ReadScope, filters: readonly UserFilter[]): SqlWhere {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  if (!scope.all) parts.push(`(org_id = any(${p(scope.orgIds)}::text[]) or id = ${p(scope.selfId)})`);
  for (const f of filters) parts.push(compile(f, p));
  return { sql: parts.length > 0 ? parts.join(" and ") : "true", params };
}

/** `ORDER BY` for a sort column and direction; the id breaks ties so pages never overlap. */
export function orderBy(sort: UserSortField, asc: boolean): string {
  const dir = asc ? "asc" : "desc";
  const col = SORT_COLUMNS[sort];
  return col === "id" ? `id ${dir}` : `${col} ${dir}, id ${dir}`;
}

function compile(f: UserFilter, p: (value: unknown) => string): string {
  switch (f.kind) {
    case "text":
      return text(TEXT_COLUMNS[f.field], f.method, f.value, p);
    case "state":
      return `state = ${p(f.state)}`;
    case "type":
      return f.type === null ? "false" : `type = ${p(f.type)}`;
    case "ids":
      return `id = any(${p(f.ids)}::text[])`;
    case "emails":
      return `lower(email) = any(${p(f.emails.map((e) => e.toLowerCase()))}::text[])`;
    case "org":
      return `org_id = ${p(f.orgId)}`;
    case "and":
      return f.filters.length === 0 ? "true" : `(${f.filters.map((x) => compile(x, p)).join(" and ")})`;
    case "or":
      return f.filters.length === 0 ? "false" : `(${f.filters.map((x) => compile(x, p)).join(" or ")})`;
    case "not":
      return `not (${compile(f.filter, p)})`;
  }
}

function text(col: string, method: TextMethod, value: string, p: (value: unknown) => string): string {
  const ignoreCase = method.endsWith("IgnoreCase");
  const pattern = method.startsWith("equals")
    ? undefined
    : method.startsWith("startsWith")
      ? `${escapeLike(value)}%`
      : method.startsWith("contains")
        ? `%${escapeLike(value)}%`
        : `%${escapeLike(value)}`;
  if (pattern === undefined) {
    const v = p(value);
    if (ignoreCase) return `lower(${col}) = lower(${v})`;
    // The lower-case twin lets the index on lower(col) find the candidates.
    return LOWER_INDEXED.has(col) ? `(lower(${col}) = lower(${v}) and ${col} = ${v})` : `${col} = ${v}`;
  }
  const v = p(pattern);
  if (ignoreCase) return `lower(${col}) like lower(${v}) escape '\\'`;
  const exact = `${col} like ${v} escape '\\'`;
  return LOWER_INDEXED.has(col) && method === "startsWith"
    ? `(lower(${col}) like lower(${v}) escape '\\' and ${exact})`
    : exact;
}
