import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

/** The pids of a process's live children, read from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return fields[0] !== "Z" && Number(fields[1]) === pid ? [Number(d)] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("usher start --workers 2 on a new database: migrated once, both serve, a dead worker is replaced, SIGTERM stops all", async () => {
  const db = await sharedDatabase();
  try {
    const group = await spawnUsher(await freePort(), db.env, ["--workers", "2"]);
    const primary = group.child.pid as number;
    let workers: number[] = [];
    try {
      await until(() => childrenOf(primary).length === 2, 10_000, "two workers");
      workers = childrenOf(primary);

      const token = readFileSync(path.join(db.env.USHER_DATA_DIR as string, "admin.pat"), "utf8").trim();
      for (let i = 0; i < 4; i++) await createUser(group.baseUrl, token);

      process.kill(workers[0] as number, "SIGKILL");
      await until(
        () => {
          const now = childrenOf(primary);
          return now.length === 2 && !now.includes(workers[0] as number);
        },
        15_000,
        "a replacement worker",
      );
      // Keep-alive connections the killed worker held died with it: a request that meets one
      // fails before it is sent, and the client opens a new connection for the next.
      for (let i = 0; i < 4; i++) {
        for (let attempt = 1; ; attempt++) {
          try {
            await createUser(group.baseUrl, token);
            break;
          } catch (e) {
            if (attempt === 5 || !(e instanceof TypeError)) throw e;
          }
        }
      }
      workers = childrenOf(primary);
    } finally {
      await group.stop();
    }
    assert.equal(group.child.exitCode, 0, group.output());
    assert.deepEqual(workers.filter(alive), [], "no worker outlives the group");

    const check = await db.open();
    try {
      const applied = await check.query<{ n: number }>("select count(*)::int as n from schema_migrations");
      const files = readdirSync("src/db/migrations").filter((f) => f.endsWith(".sql"));
      assert.equal(applied[0]?.n, files.length);
      const users = await check.query<{ n: number }>("select count(*)::int as n from users");
      assert.ok((users[0]?.n ?? 0) >= 8, "every call was served");
    } finally {
      await check.close();
    }
  } finally {
    await db.drop();
  }
});
