import type { Queryable } from "../db/types.ts";
import { type StoredOrg, toStoredOrg } from "./orgs.ts";
import { type Page, pageClause, textMatch } from "./search.ts";

/** One condition of ListOrganizations; all given conditions must hold. */
export type OrgFilter =
  | { kind: "name"; value: string; method: number }
  | { kind: "domain"; value: string; method: number }
  | { kind: "state"; state: number }
  | { kind: "id"; id: string };

/** A ListOrganizations search: conditions, visibility, order and page. */
export interface OrgSearch {
  filters: readonly OrgFilter[];
  /** Only these organizations (what the caller may read); undefined means all. */
  within?: readonly string[] | undefined;
  /** Sort by name instead of creation. */
  byName: boolean;
  page: Page;
}

/** SQL for listing organizations. */
export function orgListQueries(q: Queryable) {
  return {
    /** One page of the organizations matching a search, and how many match in all. */
    async search(s: OrgSearch): Promise<{ total: number; orgs: StoredOrg[] }> {
      const params: unknown[] = [];
      const where = s.filters.map((f) => condition(f, params));
      if (s.within) {
        params.push(s.within);
        where.push(`id = any($${params.length})`);
      }
      const whereSql = where.length > 0 ? `where ${where.join(" and ")}` : "";
      const count = await q.query<{ total: number }>(
        `select count(*)::int as total from organizations ${whereSql}`,
        params,
      );
      // Without a sort column ZITADEL keeps creation order; `asc` only steers a chosen column.
      const order = s.byName ? `lower(name) ${s.page.asc ? "asc" : "desc"}, id` : "created_at, id";
      const rows = await q.query<Parameters<typeof toStoredOrg>[0]>(
        `select * from organizations ${whereSql} order by ${order} ${pageClause(s.page, params)}`,
        params,
      );
      return { total: count[0]?.total ?? 0, orgs: rows.map(toStoredOrg) };
    },
  };
}

function condition(f: OrgFilter, params: unknown[]): string {
  switch (f.kind) {
    case "name":
      return textMatch("name", f.value, f.method, params);
    case "domain":
      return textMatch("primary_domain", f.value, f.method, params);
    case "state":
      params.push(f.state);
      return `state = $${params.length}`;
    case "id":
      params.push(f.id);
      return `id = $${params.length}`;
  }
}
