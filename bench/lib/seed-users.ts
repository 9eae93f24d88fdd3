import type { Queryable } from "../../src/db/types.ts";
import { uuidv7 } from "../../src/domain/ids.ts";

const BATCH = 5_000;

/** The address of the i-th seeded user; a prefix of 9 characters (`seed-0123`) matches 100 of them. */
export const seedEmail = (i: number) => `seed-${String(i).padStart(6, "0")}@bench.example`;

/**
 * Inserts `count` active human users, shaped as AddHumanUser writes them (a `users` row and its
 * `user.human.added` event), spread over `orgIds`, with creation times one millisecond apart
 * ending now. One multi-row `insert … select from unnest(…)` per 5,000 users. Returns their ids.
 */
export async function seedUsers(db: Queryable, orgIds: readonly string[], count: number): Promise<string[]> {
  const ids: string[] = [];
  const end = Date.now();
  for (let from = 0; from < count; from += BATCH) {
    const n = Math.min(BATCH, count - from);
    const cols = {
      org: [] as string[],
      id: [] as string[],
      email: [] as string[],
      family: [] as string[],
      display: [] as string[],
      at: [] as string[],
      payload: [] as string[],
    };
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const at = end - (count - i);
      const id = uuidv7(at);
      ids.push(id);
      const email = seedEmail(i);
      cols.org.push(orgIds[i % orgIds.length] as string);
      cols.id.push(id);
      cols.email.push(email);
      cols.family.push(`User ${i}`);
      cols.display.push(`Seed User ${i}`);
      cols.at.push(new Date(at).toISOString());
      cols.payload.push(
        JSON.stringify({
          userName: email,
          firstName: "Seed",
          lastName: `User ${i}`,
          displayName: `Seed User ${i}`,
          preferredLanguage: "en",
          email,
        }),
      );
    }
    const arrays = [cols.org, cols.id, cols.email, cols.family, cols.display, cols.at];
    await db.query(
      `insert into users (org_id, id, type, state, username, given_name, family_name, display_name,
         preferred_language, email, sequence, created_at, updated_at)
       select o, i, 'human', 1, e, 'Seed', f, d, 'en', e, 1, t::timestamptz, t::timestamptz
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as u(o, i, e, f, d, t)`,
      arrays,
    );
    await db.query(
      `insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
       select o, 'user', i, 1, 'user.human.added', p::jsonb, 'bench-seed', t::timestamptz
         from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as u(o, i, p, t)`,
      [cols.org, cols.id, cols.payload, cols.at],
    );
  }
  await db.query("analyze users");
  await db.query("analyze events");
  return ids;
}
