import assert from "node:assert/strict";
import { test } from "node:test";
import { runOutage } from "./outage.ts";

// The drill of bench/outage.ts scaled down: a 15 s outage, a 2 s retry cap and a 2 s probe cap,
// so what the outage deferred is due again within seconds of the provider's return. Two
// processes on one database.
const scaled = {
  invites: 60,
  outageMs: 15_000,
  processes: 2,
  recoverLimitMs: 30_000,
  env: {
    USHER_DELIVERY_BACKOFF_BASE: "200ms",
    USHER_DELIVERY_BACKOFF_MAX: "2s",
    USHER_DELIVERY_CIRCUIT_PROBE: "200ms",
    USHER_DELIVERY_CIRCUIT_PROBE_MAX: "2s",
    USHER_DELIVERY_POLL_INTERVAL: "200ms",
  },
};

/** Registers the scaled-down outage drill for one provider (a file per provider: the runner times whole files out at 120 s). */
export function outageTest(provider: "smtp" | "webhook"): void {
  // About 40 s on a quiet machine; the allowance is for a busy one (spawning compiles sources).
  test(`${provider} down for 15 s during invites: all delivered after it is back, none twice, newest code last`, {
    timeout: 300_000,
  }, async () => {
    const r = await runOutage({ provider, ...scaled });
    const summary = JSON.stringify(r);
    assert.equal(
      r.usersWithNewestCodeLast,
      r.users,
      `every user's last mail carries the valid code: ${summary}`,
    );
    assert.equal(r.duplicates, 0, `no message arrived twice: ${summary}`);
    assert.equal(r.outOfOrder, 0, summary);
    assert.equal(r.statuses.failed ?? 0, 0, `none gave up: ${summary}`);
    assert.equal((r.statuses.queued ?? 0) + (r.statuses.sending ?? 0), 0, summary);
    assert.ok(r.recoverySeconds < 20, `delivered within 20 s of the provider's return: ${summary}`);
    assert.ok(r.circuitOpenSeen, `/metrics showed the circuit open: ${summary}`);
    // Logged once per change of state, not per message (a probe may fail and be logged again
    // only after the circuit closed and reopened).
    assert.ok(
      r.outageLogLines.every((n) => n >= 1 && n <= 2),
      `outage logged once per process: ${summary}`,
    );
    // The sends in flight when it went down (≤ 32 a process) and the probes (≤ 2 s apart) are
    // refused; every message on its own schedule (≤ 2 s) would be several hundred calls.
    if (provider === "webhook")
      assert.ok(r.refusedDuringOutage < 120, `probes, not every message: ${summary}`);
  });
}
