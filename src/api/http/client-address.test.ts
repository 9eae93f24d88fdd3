import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTrustedProxies } from "../../config/trusted-proxies.ts";
import { clientAddress } from "./client-address.ts";
import type { Req } from "./io.ts";

const req = (peer: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress: peer }, headers }) as unknown as Req;

test("without trusted proxies the peer counts and forwarding headers are ignored", () => {
  const none = parseTrustedProxies("");
  assert.equal(clientAddress(req("10.0.0.5", { "x-forwarded-for": "203.0.113.9" }), none), "10.0.0.5");
  assert.equal(clientAddress(req("::ffff:192.0.2.1"), none), "192.0.2.1");
});

test("a trusted proxy's X-Forwarded-For is read from the right, skipping trusted hops", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8, ::1");
  // The client wrote 1.1.1.1 itself; the proxy appended the address it saw.
  const r = req("10.0.0.5", { "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.0.0.7" });
  assert.equal(clientAddress(r, proxies), "203.0.113.9");
  assert.equal(clientAddress(req("::1", { "x-forwarded-for": "198.51.100.7" }), proxies), "198.51.100.7");
  // An untrusted peer's header is never believed.
  assert.equal(clientAddress(req("192.0.2.1", { "x-forwarded-for": "203.0.113.9" }), proxies), "192.0.2.1");
  // Only proxies in the chain: the leftmost one is the client.
  assert.equal(clientAddress(req("10.0.0.5", { "x-forwarded-for": "10.1.1.1" }), proxies), "10.1.1.1");
  // A hop that is not an address ends the walk at the proxy that wrote it.
  assert.equal(clientAddress(req("10.0.0.5", { "x-forwarded-for": "nonsense" }), proxies), "10.0.0.5");
});

test("Forwarded wins over X-Forwarded-For and may carry ports and IPv6", () => {
  const proxies = parseTrustedProxies("127.0.0.1");
  const r = req("127.0.0.1", {
    forwarded: 'for=1.1.1.1, for="[2001:db8::7]:4711";proto=https',
    "x-forwarded-for": "203.0.113.9",
  });
  assert.equal(clientAddress(r, proxies), "2001:db8::7");
  assert.equal(clientAddress(req("127.0.0.1", { forwarded: 'for="192.0.2.60:80"' }), proxies), "192.0.2.60");
  assert.equal(clientAddress(req("127.0.0.1", { forwarded: "for=unknown" }), proxies), "127.0.0.1");
});

test("bad proxy entries are refused with their text", () => {
  assert.throws(() => parseTrustedProxies("10.0.0.0/33"), /10\.0\.0\.0\/33/);
  assert.throws(() => parseTrustedProxies("proxy.local"), /proxy\.local/);
  assert.ok(parseTrustedProxies("fd00::/8").has("fd12::1"));
});
