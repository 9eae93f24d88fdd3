import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { test } from "node:test";
import { fromOwnOrigin } from "./same-origin.ts";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const EXTERNAL = "https://usher.example";

test("a request is from Usher's own origin only when the browser does not say otherwise", () => {
  const cases: Array<[Record<string, string>, boolean]> = [
    [{}, true], // not a browser
    [{ "sec-fetch-site": "same-origin" }, true],
    [{ "sec-fetch-site": "same-site" }, false],
    [{ "sec-fetch-site": "cross-site" }, false],
    [{ "sec-fetch-site": "none" }, false],
    [{ origin: EXTERNAL }, true],
    [{ origin: "https://evil.example" }, false],
    [{ origin: "null" }, false],
    [{ origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080" }, true],
    [{ origin: "http://127.0.0.1:8080", host: "127.0.0.1:9090" }, false],
    [{ origin: EXTERNAL, "sec-fetch-site": "cross-site" }, false],
  ];
  for (const [headers, want] of cases)
    assert.equal(fromOwnOrigin(req(headers), EXTERNAL), want, JSON.stringify(headers));
});
