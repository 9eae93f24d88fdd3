import { invalidArgument } from "../errors/usher-error.ts";

/** The largest offset PostgreSQL's `bigint` takes: 2^63 − 1. */
const MAX_OFFSET = (1n << 63n) - 1n;

/**
 * A list request's `offset` (uint64 on the wire) as a number of rows to skip. Refused with
 * INVALID_ARGUMENT from 2^63, which no database can skip; offsets past 2^53 skip every row
 * anyway, so they become 2^53 − 1 and the page stays exact: empty.
 */
export function listOffset(offset: bigint | undefined): number {
  const value = offset ?? 0n;
  if (value < 0n || value > MAX_OFFSET) throw invalidArgument("USHER-OFS63", "Errors.Query.OffsetOutOfRange");
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/**
 * Refuses a list call with more than `max` search queries, counting every query nested in
 * and/or/not, before any of them is compiled: 11,000 OR'ed `contains` filters fit under the
 * body limit and would keep the database busy for half a minute. Reads both the decoded
 * message (`{ query: { case, value: { queries } } }`) and its canonical JSON, so REST can
 * refuse before the costly JSON → message conversion (`{ orQuery: { queries } }`). The walk
 * stops as soon as the count is exceeded and needs no recursion.
 */
export function limitSearchQueries(request: unknown, max: number): void {
  const stack: unknown[] = [...queriesOf(request)];
  let count = 0;
  while (stack.length > 0) {
    const q = stack.pop();
    if (++count > max) throw invalidArgument("USHER-QRY100", "Errors.Query.TooManyQueries");
    if (q === null || typeof q !== "object") continue;
    const oneof = (q as { query?: { value?: unknown } }).query;
    for (const part of [...Object.values(q), oneof?.value]) {
      if (part === null || typeof part !== "object") continue;
      stack.push(...queriesOf(part));
      const single = (part as { query?: unknown }).query;
      if (single !== null && typeof single === "object" && single !== oneof) stack.push(single);
    }
  }
}

function queriesOf(message: unknown): readonly unknown[] {
  const queries = (message as { queries?: unknown } | undefined)?.queries;
  return Array.isArray(queries) ? queries : [];
}
