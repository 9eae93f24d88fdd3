import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { test } from "node:test";
import {
  type Held,
  hold,
  holdHttp2,
  holdHttp2SlowBody,
  p99,
  untilClosed,
} from "./helpers/hostile-clients.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort } from "./helpers/test-app.ts";

// Short limits, so the test runs in seconds; the defaults are 10 s, 30 s and 65 s.
const HEADERS_MS = 1_000;
const REQUEST_MS = 2_000;
const KEEP_ALIVE_MS = 2_000;
/** How late a close may come on a loaded 2-core machine (Node checks the timeouts every 250 ms). */
const SLACK_MS = 5_000;

/**
 * Asserts every connection was closed by the server no earlier than `limit` and within it (+
 * slack), counted from its opening or, with `fromAnswer`, from the server's answer.
 */
function assertClosedWithin(what: string, held: readonly Held[], limit: number, fromAnswer = false): void {
  const times = held.map((h) => (h.closedAfter as number) - (fromAnswer ? (h.answeredAfter ?? 0) : 0));
  const late = times.filter((t) => t > limit + SLACK_MS);
  // Measured from the client's side, whose own start may be seen late under load: a margin.
  const early = times.filter((t) => t < limit / 2);
  const range = `${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms`;
  console.log(`${what}: ${held.length} closed after ${range} (limit ${limit} ms)`);
  assert.equal(late.length, 0, `${what}: ${late.length} closed later than ${limit + SLACK_MS} ms`);
  assert.equal(early.length, 0, `${what}: ${early.length} closed before the ${limit} ms limit`);
}

/** GET /healthz every 20 ms for `ms`, from a process of its own: the latencies of the answers. */
async function normalTraffic(baseUrl: string, ms: number): Promise<number[]> {
  const probe = spawn(process.execPath, ["test/helpers/latency-probe.mjs", `${baseUrl}/healthz`, String(ms)]);
  let out = "";
  probe.stdout.on("data", (d) => {
    out += d;
  });
  await new Promise((resolve) => probe.once("exit", resolve));
  const { latencies, failures } = JSON.parse(out) as { latencies: number[]; failures: unknown[] };
  assert.deepEqual(failures, [], "every normal request is answered 200");
  return latencies;
}

// A start of Usher on a loaded machine takes up to a minute of the time.
test("silent connections, half-sent headers and slow bodies are closed within their limits while normal requests stay fast", {
  timeout: 300_000,
}, async () => {
  const db = await sharedDatabase();
  const port = await freePort();
  const usher = await spawnUsher(port, {
    ...db.env,
    USHER_HEADERS_TIMEOUT: `${HEADERS_MS}ms`,
    USHER_REQUEST_TIMEOUT: `${REQUEST_MS}ms`,
    USHER_KEEP_ALIVE_TIMEOUT: `${KEEP_ALIVE_MS}ms`,
    USHER_MAX_CONNECTIONS: "3000",
    USHER_MAX_CONNECTIONS_PER_ADDRESS: "3000",
  });
  const all: Held[] = [];
  // Slow bodies need a credential: a request without one is refused before its body is read.
  const token = readFileSync(path.join(db.env.USHER_DATA_DIR as string, "admin.pat"), "utf8").trim();
  try {
    // The same traffic alone first: on a loaded machine it is the yardstick.
    const baseline = p99(await normalTraffic(usher.baseUrl, 3_000));
    // Through the attack: opening (a few seconds under load), every limit, and the closing.
    const traffic = normalTraffic(usher.baseUrl, 8_000);
    const open = async (n: number, make: () => Promise<Held>) => {
      const batch: Held[] = [];
      // In groups of 50, so the listen backlog never overflows.
      for (let i = 0; i < n; i += 50)
        batch.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, make))));
      all.push(...batch);
      return batch;
    };
    const silent = await open(500, () => hold(port));
    const halfHeaders = await open(500, () =>
      hold(port, { first: "POST /v2/users/human HTTP/1.1\r\nHost: usher\r\nContent-Type: applic" }),
    );
    const slowBodies = await open(100, () =>
      hold(port, {
        first:
          "POST /v2/users/human HTTP/1.1\r\nHost: usher\r\nContent-Type: application/json\r\n" +
          `Authorization: Bearer ${token}\r\nContent-Length: 100000\r\n\r\n{`,
        drip: " ",
        dripMs: 200,
      }),
    );
    const h2Silent = await open(20, () => holdHttp2(usher.baseUrl));
    const h2SlowBodies = await open(20, () => holdHttp2SlowBody(usher.baseUrl, "/v2/users/human", token));
    const idleKeepAlive = await open(20, () =>
      hold(port, { first: "GET /healthz HTTP/1.1\r\nHost: usher\r\n\r\n" }),
    );

    const stillOpen = await untilClosed(all, REQUEST_MS + KEEP_ALIVE_MS + SLACK_MS + 1_000);
    const latencies = await traffic;
    assert.equal(stillOpen.length, 0, `${stillOpen.length} connections were never closed`);
    assertClosedWithin("silent connections", silent, HEADERS_MS);
    assertClosedWithin("half-sent headers", halfHeaders, HEADERS_MS);
    assertClosedWithin("slow bodies", slowBodies, REQUEST_MS);
    assertClosedWithin("silent HTTP/2 connections", h2Silent, HEADERS_MS);
    assertClosedWithin("slow HTTP/2 bodies", h2SlowBodies, REQUEST_MS);
    // Answered, then idle: closed after the keep-alive time, which Node extends by 1 s so that
    // a client that took the advertised `Keep-Alive: timeout` at its word is not cut mid-request.
    assertClosedWithin("idle keep-alive connections", idleKeepAlive, KEEP_ALIVE_MS + 1_000, true);
    for (const h of halfHeaders.slice(0, 5)) assert.match(h.received, /^HTTP\/1\.1 408 /);
    for (const h of slowBodies.slice(0, 5)) assert.match(h.received, /^HTTP\/1\.1 408 /);
    for (const h of h2SlowBodies.slice(0, 5)) assert.equal(h.received, "rst 8", "reset with CANCEL");
    for (const h of idleKeepAlive.slice(0, 5)) assert.match(h.received, /^HTTP\/1\.1 200 /);
    const tail = p99(latencies);
    console.log(
      `normal requests meanwhile: ${latencies.length}, p99 ${tail.toFixed(1)} ms (alone: ${baseline.toFixed(1)} ms)`,
    );
    assert.ok(latencies.length >= 50, `only ${latencies.length} normal requests ran`);
    // Under 100 ms, or — on a machine so loaded that requests alone are slower — not more than
    // three times what they take alone.
    const bound = Math.max(100, 3 * baseline);
    assert.ok(
      tail < bound,
      `p99 of normal requests was ${tail.toFixed(1)} ms (bound ${bound.toFixed(1)} ms)`,
    );
  } finally {
    for (const h of all) h.stop();
    await usher.stop();
    await db.drop();
  }
});

test("connections past the per-address and total caps are answered 503 and closed, and logged once", {
  timeout: 300_000,
}, async () => {
  const db = await sharedDatabase();
  const port = await freePort();
  const usher = await spawnUsher(port, {
    ...db.env,
    USHER_HEADERS_TIMEOUT: "20s",
    USHER_REQUEST_TIMEOUT: "20s",
    USHER_KEEP_ALIVE_TIMEOUT: "1s",
    USHER_MAX_CONNECTIONS: "30",
    USHER_MAX_CONNECTIONS_PER_ADDRESS: "20",
  });
  const all: Held[] = [];
  const settle = () => new Promise((r) => setTimeout(r, 300));
  try {
    // The start-up check's keep-alive connection counts too: let it close (1 s + Node's 1 s).
    await new Promise((r) => setTimeout(r, 2_500));
    for (let i = 0; i < 20; i++) all.push(await hold(port));
    await settle();
    const overAddress = await hold(port);
    all.push(overAddress);
    for (let i = 0; i < 10; i++) all.push(await hold(port, { localAddress: "127.0.0.2" }));
    await settle();
    const overTotal = await hold(port, { localAddress: "127.0.0.3" });
    all.push(overTotal);
    assert.deepEqual(await untilClosed([overAddress, overTotal], 5_000), []);
    for (const refused of [overAddress, overTotal]) {
      assert.match(refused.received, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
      assert.match(refused.received, /retry-after: 1/);
      assert.ok((refused.closedAfter as number) < 5_000, `closed after ${refused.closedAfter} ms`);
    }
    // The held ones stay (their limit is 20 s), and a freed slot serves the next client.
    const closedEarly = all.slice(0, 20).filter((h) => h.closedAfter !== undefined);
    assert.deepEqual(
      closedEarly.map((h) => [h.closedAfter, h.received]),
      [],
      "held connections within the caps stay open",
    );
    all[0]?.stop();
    await settle();
    const metrics = await new Promise<string>((resolve, reject) => {
      http
        .get(`${usher.baseUrl}/metrics`, { localAddress: "127.0.0.3" }, (res) => {
          let text = "";
          res.on("data", (d) => {
            text += d;
          });
          res.on("end", () => resolve(text));
        })
        .on("error", reject);
    });
    assert.match(metrics, /usher_connections_refused_total\{reason="per_address"\} 1/);
    assert.match(metrics, /usher_connections_refused_total\{reason="total"\} 1/);
    const lines = usher
      .output()
      .split("\n")
      .filter((l) => l.includes("connection refused"));
    assert.equal(lines.length, 1, `logged ${lines.length} times: ${lines.join("\n")}`);
  } finally {
    for (const h of all) h.stop();
    await usher.stop();
    await db.drop();
  }
});
