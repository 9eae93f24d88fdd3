import { createHash } from "node:crypto";

const names = new Map<string, string>();

/** A stable name per SQL text, so each connection prepares a statement once. */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `u${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`;
    if (names.size < 10_000) names.set(sql, name);
  }
  return name;
}
