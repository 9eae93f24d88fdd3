import assert from "node:assert/strict";
import { test } from "node:test";
import { Circuit } from "./circuit.ts";

const at = (ms: number) => new Date(ms);

test("the circuit opens after the threshold of consecutive outages, probes on a growing schedule, closes on an answer", () => {
  const c = new Circuit({ threshold: 3, probeMs: 1_000, probeMaxMs: 4_000, random: () => 0.999 });
  assert.equal(c.unavailable(at(0), "ECONNREFUSED", false), undefined);
  assert.equal(c.answered(), undefined, "an answer in between resets the count");
  assert.equal(c.unavailable(at(0), "ECONNREFUSED", false), undefined);
  assert.equal(c.unavailable(at(0), "ECONNREFUSED", false), undefined);
  assert.equal(c.unavailable(at(10), "ECONNREFUSED", false), "opened");
  assert.equal(c.state, "open");
  assert.equal(c.probeDue(at(500)), false);
  assert.equal(c.probeDue(at(1_010)), true);
  c.probing = true;
  assert.equal(c.probeDue(at(1_010)), false, "one probe at a time");
  // A late failure of a send that was already in flight does not move the probe.
  assert.equal(c.unavailable(at(1_100), "late", false), undefined);
  assert.equal(c.probing, true);
  const delays: number[] = [];
  let now = 1_010;
  for (let i = 0; i < 4; i++) {
    c.unavailable(at(now), "still down", true);
    delays.push(c.nextProbeAt - now);
    now = c.nextProbeAt;
    assert.equal(c.probeDue(at(now)), true);
    c.probing = true;
  }
  assert.ok(
    (delays[1] ?? 0) > (delays[0] ?? 0) && delays.every((d) => d <= 4_000),
    `growing, capped: ${delays}`,
  );
  assert.equal(c.lastError, "still down");
  assert.equal(c.answered(), "closed");
  assert.equal(c.state, "closed");
  assert.equal(c.answered(), undefined, "closing is reported once");
});
