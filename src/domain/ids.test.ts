import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { uuidv7 } from "./ids.ts";

describe("uuidv7", () => {
  it("has version 7, the RFC 9562 variant and the time in its first 48 bits", () => {
    const now = Date.UTC(2026, 10, 30, 12, 0, 0);
    const id = uuidv7(now);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16), now);
  });

  it("is unique and increasing within one millisecond, across many draws of random bytes", () => {
    const now = Date.now() + 1000;
    const ids = Array.from({ length: 1000 }, () => uuidv7(now));
    assert.equal(new Set(ids).size, ids.length);
    // The counter starts below 0x800, so 1,000 IDs in one millisecond never wrap it.
    for (let i = 1; i < ids.length; i++) {
      assert.ok((ids[i] as string) > (ids[i - 1] as string), `${ids[i]} after ${ids[i - 1]}`);
    }
    const later = Array.from({ length: 5000 }, (_, i) => uuidv7(now + 1 + i));
    assert.equal(new Set([...ids, ...later]).size, 6000);
  });
});
