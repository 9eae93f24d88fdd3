import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffMs } from "./backoff.ts";

test("backoff doubles, keeps at least half its ceiling, and is capped", () => {
  assert.equal(
    backoffMs(1, 2000, 600_000, () => 0),
    1000,
  );
  assert.equal(
    backoffMs(1, 2000, 600_000, () => 0.999),
    1999,
  );
  assert.equal(
    backoffMs(3, 2000, 600_000, () => 0),
    4000,
  );
  assert.equal(
    backoffMs(30, 2000, 10_000, () => 0.999),
    9995,
  );
  assert.equal(
    backoffMs(1_000, 2000, 10_000, () => 0),
    5000,
  );
});

test("the schedule spans a 24 h TTL instead of burning attempts in seconds", () => {
  const ttl = 24 * 3_600_000;
  let elapsed = 0;
  let attempts = 0;
  while (elapsed < ttl) {
    attempts++;
    elapsed += backoffMs(attempts, 2000, 600_000);
  }
  // 2 s doubling reaches the 10 min cap after ~9 retries (~17 min); then 5–10 min apart.
  assert.ok(attempts > 140 && attempts < 300, `${attempts} attempts in 24 h`);
  let first8 = 0;
  for (let n = 1; n <= 8; n++) first8 += backoffMs(n, 2000, 600_000, () => 0);
  assert.ok(first8 >= 255_000, `the first 8 retries take at least ${first8} ms, not seconds`);
});
