import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffMs } from "./backoff.ts";

test("backoff doubles its ceiling, is capped, and keeps a floor", () => {
  assert.equal(
    backoffMs(1, 2000, 600_000, () => 0.999),
    1998,
  );
  assert.equal(
    backoffMs(3, 2000, 600_000, () => 0.999),
    7992,
  );
  assert.equal(
    backoffMs(30, 2000, 10_000, () => 0.999),
    9990,
  );
  assert.equal(
    backoffMs(1, 2000, 600_000, () => 0),
    250,
  );
});
