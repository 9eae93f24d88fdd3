import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { EgressError, isBlockedAddress, postJson, targetProblem } from "./egress.ts";

const refuse = { allowPrivate: false, timeoutMs: 2000, responseLimit: 64 };

describe("egress rules", () => {
  test("private, loopback, link-local and metadata addresses are blocked; public ones are not", () => {
    for (const a of [
      "127.0.0.1",
      "10.0.0.1",
      "169.254.169.254",
      "192.168.1.1",
      "172.16.0.1",
      "::1",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "0.0.0.0",
    ])
      assert.ok(isBlockedAddress(a), a);
    for (const a of ["93.184.216.34", "8.8.8.8", "2606:4700::1111"]) assert.ok(!isBlockedAddress(a), a);
  });

  test("URLs to 127.0.0.1, 10.0.0.1, 169.254.169.254 and a name resolving to loopback are refused unless allowed", async () => {
    for (const url of [
      "http://127.0.0.1/x",
      "http://10.0.0.1/x",
      "http://169.254.169.254/latest",
      "http://localhost/x",
      "http://[::1]/x",
    ]) {
      assert.match((await targetProblem(url, false)) ?? "", /is refused: .*(private|loopback)/, url);
      assert.equal(await targetProblem(url, true), undefined, url);
    }
    assert.match((await targetProblem("file:///etc/passwd", true)) ?? "", /http or https/);
    assert.match((await targetProblem("http://u:p@example.com/", true)) ?? "", /credentials/);
  });

  test("every call checks the resolved address; redirects are not followed; answers are cut at the limit", async () => {
    const server = http.createServer((req, res) => {
      if (req.url === "/redirect") res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      else if (req.url === "/slow") setTimeout(() => res.end("late"), 1500);
      else res.end("x".repeat(10_000));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const byName = await postJson(`http://localhost:${port}/`, {}, "{}", refuse).catch((e) => e);
      assert.ok(byName instanceof EgressError && byName.kind === "refused", String(byName));
      const literal = await postJson(`http://127.0.0.1:${port}/`, {}, "{}", refuse).catch((e) => e);
      assert.ok(literal instanceof EgressError && literal.kind === "refused");
      const allowed = { ...refuse, allowPrivate: true };
      const big = await postJson(`http://localhost:${port}/`, {}, "{}", allowed);
      assert.equal(big.status, 200);
      assert.equal(big.body.length, 64);
      const redirect = await postJson(`http://127.0.0.1:${port}/redirect`, {}, "{}", allowed);
      assert.equal(redirect.status, 302);
      const slow = await postJson(`http://127.0.0.1:${port}/slow`, {}, "{}", {
        ...allowed,
        timeoutMs: 200,
      }).catch((e) => e);
      assert.ok(slow instanceof EgressError && slow.kind === "timeout");
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
