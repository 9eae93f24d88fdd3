import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { bcrypt } from "hash-wasm";
import { PasswordThreads } from "./password-threads.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

const small = { memorySize: 1024, iterations: 1, parallelism: 1, hashLength: 32, outputType: "encoded" };

describe("password threads", () => {
  it("hashes with argon2id and verifies argon2 and bcrypt hashes", async () => {
    const hash = await hashPassword("correct horse");
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword("correct horse", hash), true);
    assert.equal(await verifyPassword("wrong horse", hash), false);
    const legacy = await bcrypt({
      password: "old secret",
      salt: randomBytes(16),
      costFactor: 4,
      outputType: "encoded",
    });
    assert.equal(await verifyPassword("old secret", legacy), true);
    assert.equal(await verifyPassword("new secret", legacy), false);
    assert.equal(await verifyPassword("anything", "plain-text"), false);
  });

  it("runs at most its number of threads; the other jobs wait their turn", async () => {
    const pool = new PasswordThreads({ threads: 2 });
    const jobs = Array.from({ length: 5 }, (_, i) =>
      pool.run<string>({ fn: "argon2id", options: { ...small, password: `p${i}`, salt: randomBytes(16) } }),
    );
    assert.equal(pool.size, 2);
    const hashes = await Promise.all(jobs);
    assert.equal(new Set(hashes).size, 5);
    for (const [i, h] of hashes.entries()) {
      assert.equal(await pool.run({ fn: "argon2Verify", options: { password: `p${i}`, hash: h } }), true);
    }
    await pool.close();
  });

  it("ends idle threads", async () => {
    const pool = new PasswordThreads({ threads: 1, idleMs: 20 });
    await pool.run({ fn: "argon2id", options: { ...small, password: "x", salt: randomBytes(16) } });
    assert.equal(pool.size, 1);
    for (let i = 0; i < 100 && pool.size > 0; i++) await sleep(10);
    assert.equal(pool.size, 0);
  });

  it("fails a job hash-wasm refuses, and the thread serves the next", async () => {
    const pool = new PasswordThreads({ threads: 1 });
    await assert.rejects(
      pool.run({ fn: "argon2Verify", options: { password: "x", hash: "$argon2id$broken" } }),
    );
    const hash = await pool.run<string>({
      fn: "argon2id",
      options: { ...small, password: "y", salt: randomBytes(16) },
    });
    assert.match(hash, /^\$argon2id\$/);
    await pool.close();
  });

  it("fails the jobs of a closed pool, and starts new threads for later ones", async () => {
    const pool = new PasswordThreads({ threads: 1 });
    const running = pool.run({ fn: "argon2id", options: { ...small, password: "a", salt: randomBytes(16) } });
    const waiting = pool.run({ fn: "argon2id", options: { ...small, password: "b", salt: randomBytes(16) } });
    await Promise.all([assert.rejects(running, /closed/), assert.rejects(waiting, /closed/), pool.close()]);
    assert.equal(pool.size, 0);
    const later = await pool.run<string>({
      fn: "argon2id",
      options: { ...small, password: "c", salt: randomBytes(16) },
    });
    assert.match(later, /^\$argon2id\$/);
    await pool.close();
  });
});
