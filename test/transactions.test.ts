import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CommandDeps } from "../src/commands/deps.ts";
import { joinTransaction } from "../src/commands/in-transaction.ts";
import { openPostgres } from "../src/db/postgres.ts";
import type { Db } from "../src/db/types.ts";
import { uuidv7 } from "../src/domain/ids.ts";
import { TEST_DATABASE_URL } from "./helpers/test-app.ts";

// The transaction contract every command relies on, on the database the suite runs on. On
// PostgreSQL `BEGIN` travels with the first statement and a statement marked `last` carries the
// `COMMIT`, once the statement is prepared on the connection; one pooled connection makes every
// second run of a transaction take that path.
describe("transactions", () => {
  let db: Db;
  const table = `tx_test_${uuidv7().replaceAll("-", "").slice(-12)}`;
  const insert = `insert into ${table} (id) values ($1)`;
  const ids = async () =>
    (await db.query<{ id: number }>(`select id from ${table} order by id`)).map((r) => r.id);

  before(async () => {
    // A pool of one connection.
    db = await openPostgres(TEST_DATABASE_URL, 1);
    await db.exec(`create table ${table} (id int primary key)`);
  });
  after(async () => {
    await db.exec(`drop table if exists ${table}`);
    await db.close();
  });

  test("a statement marked last commits the transaction, the first and the later runs alike", async () => {
    for (const base of [10, 20, 30]) {
      const result = await db.transaction(async (tx) => {
        await tx.query(insert, [base + 1]);
        await tx.query(insert, [base + 2], { last: true });
        return "done";
      });
      assert.equal(result, "done");
    }
    assert.deepEqual(await ids(), [11, 12, 21, 22, 31, 32]);
    await db.exec(`delete from ${table}`);
  });

  test("a first statement marked last is the whole transaction", async () => {
    for (const id of [1, 2, 3]) await db.transaction((tx) => tx.query(insert, [id], { last: true }));
    assert.deepEqual(await ids(), [1, 2, 3]);
    await db.exec(`delete from ${table}`);
  });

  test("a failing last statement rolls back everything before it, and the connection stays usable", async () => {
    for (let run = 0; run < 3; run++) {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(insert, [100 + run]);
          await tx.query(insert, [100 + run], { last: true });
        }),
        (e: { code?: string }) => e.code === "23505",
      );
    }
    assert.deepEqual(await ids(), []);
    await db.transaction((tx) => tx.query(insert, [5], { last: true }));
    assert.deepEqual(await ids(), [5]);
    await db.exec(`delete from ${table}`);
  });

  test("a failing first statement leaves no transaction open on the connection", async () => {
    for (let run = 0; run < 3; run++) {
      await assert.rejects(
        db.transaction((tx) => tx.query(`select 1 / $1::int`, [0])),
        (e: { code?: string }) => e.code === "22012",
      );
      await db.transaction((tx) => tx.query(`select 1 / $1::int`, [1]));
    }
    await db.transaction(async (tx) => {
      await tx.query(insert, [6]);
      await tx.query(insert, [7]);
    });
    assert.deepEqual(await ids(), [6, 7]);
    await db.exec(`delete from ${table}`);
  });

  test("a statement after the last one is refused; what the last one committed stays", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(insert, [8], { last: true });
        await tx.query(insert, [9]);
      }),
      /after the transaction's last one/,
    );
    assert.deepEqual(await ids(), [8]);
    await db.exec(`delete from ${table}`);
  });

  test("a transaction that runs no statement returns its value", async () => {
    assert.equal(await db.transaction(async () => 42), 42);
  });

  test("an error thrown after the statements rolls them back", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(insert, [40]);
        await tx.query(insert, [41]);
        throw new Error("changed my mind");
      }),
      /changed my mind/,
    );
    assert.deepEqual(await ids(), []);
  });

  test("in a joined transaction a last statement does not commit the outer one", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        const joined = joinTransaction({ db } as CommandDeps, tx);
        await joined.db.transaction((inner) => inner.query(insert, [50], { last: true }));
        await tx.query(insert, [51]);
        throw new Error("outer fails");
      }),
      /outer fails/,
    );
    assert.deepEqual(await ids(), []);
  });
});
