import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type DescField, type DescMessage, type DescMethod, getOption, hasOption } from "@bufbuild/protobuf";
import { http } from "@zitadel/proto/google/api/annotations_pb.js";
import fc from "fast-check";
import { handlerFor } from "../src/api/zitadel/handler.ts";
import { tableFootprint } from "./helpers/footprint.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * Malformed requests to every implemented ZITADEL method over REST and Connect (JSON and
 * binary), and to the hosted pages: each request carries at least one fault that can never
 * be valid — a NUL byte in a string, a number out of range, a value of the wrong type, bytes
 * that are not UTF-8, a broken body, a form without its token. Every answer must be a 4xx
 * (never a 5xx) and the database must be exactly as before.
 *
 * `USHER_FUZZ_REQUESTS` sets how many requests this file sends (default 1000, well under a
 * minute); a longer run (10,000 and more) is for by hand.
 */
const TOTAL = Number(process.env.USHER_FUZZ_REQUESTS ?? 1000);
let t: TestApp;
before(async () => {
  // 127.0.0.1 is trusted as a proxy, so each page post names its own (fuzzed) client address
  // and the per-address throttle does not turn every later post into a quick 429.
  t = await startTestApp({ config: { throttleEnabled: false, trustedProxies: "127.0.0.1" } });
});
after(async () => {
  await t?.stop();
});

/**
 * Every table's rows, by content (see helpers/footprint.ts) — but the per-address throttle of
 * the hosted pages, which counts every post, refused or not, by design.
 */
const footprint = () => tableFootprint(t.app.db, ["send_throttle"]);

interface Target {
  method: DescMethod;
  /** REST verb and path template (`/v2/users/{user_id}`), when the method has one. */
  rest?: { verb: string; path: string };
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const binding of t.app.bindings) {
    for (const method of binding.service.methods) {
      if (!handlerFor(binding, method)) continue;
      const rule = hasOption(method, http) ? getOption(method, http) : undefined;
      const p = rule?.pattern;
      const rest =
        p?.case && p.case !== "custom" && typeof p.value === "string"
          ? { verb: p.case.toUpperCase(), path: `${binding.restPrefix ?? ""}${p.value}` }
          : undefined;
      out.push(rest ? { method, rest } : { method });
    }
  }
  return out;
}

const NUL = fc
  .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
  .map(([a, b]) => `${a}\u0000${b}`);
const HUGE = fc.constantFrom("18446744073709551616", "9223372036854775808", "-9223372036854775809", "1e400");

/** A value for `field` that can never be valid: NUL strings, numbers out of range, wrong types. */
function badValue(field: DescField, depth: number): fc.Arbitrary<unknown> {
  if (field.fieldKind === "message" && depth < 3) {
    const inner = field.message.fields.filter((f) => f.fieldKind !== "map");
    const nested = inner.length > 0 ? badObject(field.message, depth + 1) : fc.constant("not a message");
    return fc.oneof(nested, fc.constantFrom(42, "not a message", [1, 2]));
  }
  if (field.fieldKind === "list")
    return fc.oneof(
      NUL.map((s) => [s]),
      fc.constant({ not: "a list" }),
    );
  if (field.fieldKind === "map")
    return fc.oneof(
      NUL.map((s) => ({ k: s })),
      fc.constant(["not", "a map"]),
    );
  if (field.fieldKind === "scalar") {
    switch (field.scalar) {
      case 9: // string
        return NUL;
      case 8: // bool
        return fc.constantFrom("yes", 2, "\u0000");
      case 12: // bytes
        return fc.constantFrom("%%%not base64", 17);
      default: // numbers
        return fc.oneof(HUGE, fc.constantFrom("twelve", true, 1.5));
    }
  }
  if (field.fieldKind === "enum") return fc.constantFrom(true, { no: 1 }, 1.5);
  return NUL;
}

/** A JSON object for `message` with at least one field set to a bad value, maybe a few more. */
function badObject(message: DescMessage, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = message.fields;
  if (fields.length === 0) return fc.constant({ nothing: "\u0000" });
  return fc
    .tuple(fc.constantFrom(...fields), fc.array(fc.constantFrom(...fields), { maxLength: 2 }))
    .chain(([first, more]) =>
      fc.tuple(...[first, ...more].map((f) => badValue(f, depth).map((v) => [f.jsonName, v] as const))),
    )
    .map((pairs) => Object.fromEntries(pairs));
}

/** Bodies that are broken before any field is read. */
const BROKEN_BODY = fc.constantFrom(
  Buffer.from("{"),
  Buffer.from("[1,2"),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"a":"<bad UTF-8>"}
  Buffer.from('{"userId":"\\u0000"}'),
  Buffer.from("null"),
);

const junkId = fc.oneof(NUL, fc.constantFrom("%00", "%FF%FE", "a%00b", "%C0%AF", "x".repeat(300)));

type Sent = { status: number; what: string };

async function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: Uint8Array | string,
) {
  const res = await fetch(url, {
    method,
    headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  return res.status;
}

test("malformed requests to the ZITADEL surfaces and the pages never get a 5xx and change nothing", async () => {
  const all = targets();
  const withRest = all.filter((x) => x.rest);
  const pages = 4;
  const runs = Math.max(1, Math.ceil(TOTAL / (withRest.length + all.length * 2 + pages)));
  const before = await footprint();
  const failures: Sent[] = [];
  let sent = 0;
  const record = (what: string, status: number) => {
    sent++;
    if (status >= 500) failures.push({ status, what });
  };
  const auth = { authorization: `Bearer ${t.adminToken}` };

  for (const target of withRest) {
    const { verb, path } = target.rest as { verb: string; path: string };
    const body = fc.oneof(
      badObject(target.method.input).map((o) => JSON.stringify(o)),
      BROKEN_BODY,
    );
    await fc.assert(
      fc.asyncProperty(body, junkId, fc.boolean(), async (b, id, withToken) => {
        const url =
          t.baseUrl + path.replace(/\{[^}]+\}/g, () => (id.includes("%") ? id : encodeURIComponent(id)));
        const headers: Record<string, string> = {
          "content-type": "application/json",
          ...(withToken ? auth : {}),
        };
        const hasBody = verb !== "GET" && verb !== "DELETE";
        // Without a body the fault rides in the path and the query string.
        const status = await send(
          verb,
          hasBody ? url : `${url}?query.offset=18446744073709551616&x=%00`,
          headers,
          hasBody ? b : undefined,
        );
        record(`${verb} ${url}`, status);
      }),
      { numRuns: runs, seed: 1515 },
    );
  }

  for (const target of all) {
    const url = `${t.baseUrl}/${target.method.parent.typeName}/${target.method.name}`;
    const json = fc.oneof(
      badObject(target.method.input).map((o) => JSON.stringify(o)),
      BROKEN_BODY,
    );
    const stringField = target.method.input.fields.find((f) => f.fieldKind === "scalar" && f.scalar === 9);
    // Binary: a tag with an invalid wire type first, or a string field holding bytes that are not UTF-8.
    const binary = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((r) => Buffer.concat([Buffer.from([0x0f]), r])),
      stringField
        ? fc.constantFrom(Buffer.from([(stringField.number << 3) | 2, 2, 0xff, 0xfe]))
        : fc.constant(Buffer.from([0x0f])),
    );
    await fc.assert(
      fc.asyncProperty(json, fc.boolean(), async (b, withToken) => {
        const status = await send(
          "POST",
          url,
          { "content-type": "application/json", ...(withToken ? auth : {}) },
          b,
        );
        record(`Connect JSON ${target.method.name}`, status);
      }),
      { numRuns: runs, seed: 1516 },
    );
    await fc.assert(
      fc.asyncProperty(binary, async (b) => {
        const status = await send("POST", url, { "content-type": "application/proto", ...auth }, b);
        record(`Connect binary ${target.method.name}`, status);
      }),
      { numRuns: runs, seed: 1517 },
    );
  }

  const address = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.constantFrom("unknown", "", "300.1.1.1", "\u00ff", "1.2.3.4, 5.6.7.8"),
  );
  const field = fc.oneof(junkId, fc.string({ maxLength: 20 }));
  for (const path of ["/ui/login/user/init", "/ui/login/user/invite", "/ui/login/mail/verification"]) {
    await fc.assert(
      fc.asyncProperty(junkId, field, field, field, address, async (user, org, code, token, from) => {
        const raw = (s: string) => (s.includes("%") ? s : encodeURIComponent(s));
        const query = `userID=${raw(user)}&orgID=${raw(org)}&code=${raw(code)}`;
        const fwd: Record<string, string> = /^[\x20-\x7e]*$/.test(from) ? { "x-forwarded-for": from } : {};
        record(`GET ${path}`, await send("GET", `${t.baseUrl}${path}?${query}`, fwd));
        const form = `${query}&form_token=${raw(token)}&action=${raw(code) ? "submit" : "resend"}&password=${raw(code)}`;
        const status = await send(
          "POST",
          `${t.baseUrl}${path}`,
          { "content-type": "application/x-www-form-urlencoded", ...fwd },
          form,
        );
        record(`POST ${path}`, status);
      }),
      { numRuns: runs, seed: 1518 },
    );
  }
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 30 }), async (rest) => {
      record(
        "GET /ui/login/*",
        await send("GET", `${t.baseUrl}/ui/login/${encodeURIComponent(rest)}%00?flow=%FF`, {}),
      );
    }),
    { numRuns: runs, seed: 1519 },
  );

  console.log(`surface fuzz: ${sent} malformed requests, ${failures.length} answered 5xx`);
  const byWhat: Record<string, number> = {};
  for (const f of failures) byWhat[`${f.status} ${f.what}`] = (byWhat[`${f.status} ${f.what}`] ?? 0) + 1;
  assert.deepEqual(byWhat, {});
  assert.ok(sent >= TOTAL * 0.9, `sent ${sent} requests`);
  assert.deepEqual(await footprint(), before);
});
