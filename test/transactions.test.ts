import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { keepWrites } from "../src/db/keep-writes.ts";
import { openPostgres } from "../src/db/postgres.ts";
import type { Db } from "../src/db/types.ts";
import { write } from "../src/db/write.ts";
import { uuidv7 } from "../src/domain/ids.ts";
import { TEST_DATABASE_URL } from "./helpers/test-app.ts";

// The transaction contract every command relies on, on the database the suite runs on. `BEGIN`
// travels with the first statement; a deferred write (`write`) is pipelined and answered with the
// next statement awaited or with `COMMIT`; its failure is thrown there. One pooled connection
// makes every second run of a transaction reuse prepared statements.
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

  test("deferred writes commit with the transaction, the first and the later runs alike", async () => {
    for (const base of [10, 20, 30]) {
      const result = await db.transaction(async (tx) => {
        await write(tx, insert, [base + 1]);
        await write(tx, insert, [base + 2]);
        return "done";
      });
      assert.equal(result, "done");
    }
    assert.deepEqual(await ids(), [11, 12, 21, 22, 31, 32]);
    await db.exec(`delete from ${table}`);
  });

  test("a read after deferred writes sees them", async () => {
    const seen = await db.transaction(async (tx) => {
      await write(tx, insert, [1]);
      await write(tx, insert, [2]);
      return (await tx.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n;
    });
    assert.equal(seen, 2);
    await db.exec(`delete from ${table}`);
  });

  test("a failing deferred write fails the commit and rolls back everything; the connection stays usable", async () => {
    for (let run = 0; run < 3; run++) {
      await assert.rejects(
        db.transaction(async (tx) => {
          await write(tx, insert, [100 + run]);
          await write(tx, insert, [100 + run]);
        }),
        (e: { code?: string }) => e.code === "23505",
      );
    }
    assert.deepEqual(await ids(), []);
    await db.transaction((tx) => write(tx, insert, [5]));
    assert.deepEqual(await ids(), [5]);
    await db.exec(`delete from ${table}`);
  });

  test("a failing deferred write is thrown by the next read, with its own error", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await write(tx, insert, [60]);
        await write(tx, insert, [60]);
        await tx.query(`select 1`);
        throw new Error("not reached");
      }),
      (e: { code?: string }) => e.code === "23505",
    );
    assert.deepEqual(await ids(), []);
  });

  test("a caught failure does not let an aborted transaction commit", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await write(tx, insert, [90]);
        await write(tx, insert, [90]);
        await tx.query("select 1").catch(() => {});
      }),
      /aborted and rolled back/,
    );
    assert.deepEqual(await ids(), []);
  });

  test("a savepoint undoes a failed deferred write and the transaction goes on", async () => {
    await db.transaction(async (tx) => {
      await write(tx, insert, [70]);
      await tx.exec("savepoint row");
      await write(tx, insert, [70]);
      await assert.rejects(tx.exec("release savepoint row"), (e: { code?: string }) => e.code === "23505");
      await tx.exec("rollback to savepoint row");
      await write(tx, insert, [71]);
    });
    assert.deepEqual(await ids(), [70, 71]);
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

  test("a transaction that runs no statement returns its value", async () => {
    assert.equal(await db.transaction(async () => 42), 42);
  });

  test("an error thrown after the statements rolls them back", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(insert, [40]);
        await write(tx, insert, [41]);
        throw new Error("changed my mind");
      }),
      /changed my mind/,
    );
    assert.deepEqual(await ids(), []);
  });

  test("a refusal marked keepWrites commits what was written, then is thrown", async () => {
    await assert.rejects(
      db.transaction(async (tx) => {
        await write(tx, insert, [80]);
        throw keepWrites(new Error("recorded refusal"));
      }),
      /recorded refusal/,
    );
    assert.deepEqual(await ids(), [80]);
    await db.exec(`delete from ${table}`);
  });
});
