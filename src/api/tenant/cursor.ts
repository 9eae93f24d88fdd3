import { validation } from "./tenant-error.ts";

/** An opaque cursor: the (created_at, id) of the last row of a page. */
export interface Position {
  createdAt: string;
  id: string;
}

export function encodeCursor(p: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([p.created_at.toISOString(), p.id])).toString("base64url");
}

export function decodeCursor(cursor: unknown): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(String(cursor), "base64url").toString("utf8"),
    ) as unknown[];
    if (typeof createdAt === "string" && typeof id === "string" && !Number.isNaN(Date.parse(createdAt)))
      return { createdAt, id };
  } catch {
    // fall through to the validation error
  }
  throw validation([{ field: "query.cursor", message: "is not a cursor this API returned" }]);
}

/** A page from rows fetched with one extra: `{ data, next_cursor, has_more }`. */
export function page<R extends { created_at: Date; id: string }, T>(
  rows: R[],
  limit: number,
  view: (r: R) => T,
) {
  const hasMore = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    data: shown.map(view),
    next_cursor: hasMore && last ? encodeCursor(last) : null,
    has_more: hasMore,
  };
}
