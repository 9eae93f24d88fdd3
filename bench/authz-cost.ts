// How much a Cedar decision costs, and what authorization adds to a request.
//   node --import tsx bench/authz-cost.ts            (prints a Markdown table)
// Decisions: loadCedarAuthorizer() with the default policies, a pre-parsed policy set, an
// ORG_USER_MANAGER deciding user.invite.send on a user of its organization (allowed), and an
// ORG_USER_VIEWER (denied). "Evaluated" rows ask Cedar every time (each call comes from another
// caller organization, so no decision can be reused); "reused" rows repeat one request, which
// the authorizer answers from its decision cache. Per request, authorization also resolves the
// token; that query is part of every request's database work and is measured by the HTTP
// benchmarks, not here.

import v8 from "node:v8";
import type { Caller } from "../src/authz/caller.ts";

// As bin/usher.js does: Node 20's V8 dies in this loop ("unreachable code") when it inlines
// JS→Wasm calls; and Wasm functions tier up only after a budget 100× the default
// (BENCH_WASM_BUDGET=default measures V8's own). Set before Cedar's Wasm is loaded, hence the
// dynamic import.
v8.setFlagsFromString("--no-turbo-inline-js-wasm-calls");
if (process.env.BENCH_WASM_BUDGET !== "default") v8.setFlagsFromString("--wasm-tiering-budget=200000000");
const { loadCedarAuthorizer } = await import("../src/authz/cedar-authorizer.ts");

const authz = loadCedarAuthorizer();
const caller = (roles: string[], orgId = "org-a"): Caller => ({
  userId: "caller",
  orgId,
  tokenId: "token",
  instanceRoles: [],
  orgRoles: new Map([["org-a", roles]]),
});
const target = { orgId: "org-a", userId: "user-1", email: "ada@example.com", emailVerified: false };

function measure(
  name: string,
  roles: string[],
  fresh: boolean,
  seconds = Number(process.env.BENCH_SECONDS ?? 3),
) {
  let k = 0;
  // A caller from another organization each time defeats the decision cache.
  const next = fresh ? () => caller(roles, `caller-org-${k++}`) : () => caller(roles);
  for (let i = 0; i < 2_000; i++) authz.decide(next(), "user.invite.send", target);
  const started = performance.now();
  const until = started + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 500; i++) authz.decide(next(), "user.invite.send", target);
    n += 500;
  }
  const ms = performance.now() - started;
  return {
    name,
    decisions: n,
    perSecond: Math.round((n / ms) * 1000),
    microseconds: ((ms / n) * 1000).toFixed(1),
  };
}

const rows = [
  measure("evaluated: allow (ORG_USER_MANAGER)", ["ORG_USER_MANAGER"], true),
  measure("evaluated: deny (ORG_USER_VIEWER)", ["ORG_USER_VIEWER"], true),
  measure("reused: allow (ORG_USER_MANAGER)", ["ORG_USER_MANAGER"], false),
];
console.log("| decision | decisions/s | µs per decision |\n| --- | ---: | ---: |");
for (const r of rows) console.log(`| ${r.name} | ${r.perSecond} | ${r.microseconds} |`);
