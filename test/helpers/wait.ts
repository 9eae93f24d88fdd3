/** Something that runs SQL: the test app's database handle. */
interface Sql {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * Waits until `check` holds, polling every `every` ms; throws naming `what` when it still does not
 * after `ms`. Use it instead of a fixed sleep, and never let a wait end silently.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
  every = 25,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * Waits until the outbox holds no message still to be sent (of `userId`, or of anyone): every
 * message is then sent, failed, superseded or cancelled, so what a mail catcher received is final.
 */
export async function outboxSettled(db: Sql, userId?: string, ms = 10_000): Promise<void> {
  const sql = `select 1 from outbox where status in ('queued', 'sending')${userId ? " and user_id = $1" : ""} limit 1`;
  await until(
    async () => (await db.query(sql, userId ? [userId] : [])).length === 0,
    `the outbox${userId ? ` of user ${userId}` : ""} to settle`,
    ms,
  );
}

/** The user's outbox messages by status, e.g. `{ sent: 1, superseded: 3 }`. */
export async function outboxStatuses(db: Sql, userId: string): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    "select status, count(*)::int as n from outbox where user_id = $1 group by status order by status",
    [userId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
