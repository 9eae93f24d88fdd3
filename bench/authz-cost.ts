// How much a Cedar decision costs, and what authorization adds to a request.
//   node --import tsx bench/authz-cost.ts            (prints a Markdown table)
// Decisions: loadCedarAuthorizer() with the default policies, a pre-parsed policy set, an
// ORG_USER_MANAGER deciding user.invite.send on a user of its organization (allowed), and an
// ORG_USER_VIEWER (denied). Per request, authorization also resolves the token; that query is
// part of every request's database work and is measured by the HTTP benchmarks, not here.

import type { Caller } from "../src/authz/caller.ts";
import { loadCedarAuthorizer } from "../src/authz/cedar-authorizer.ts";

const authz = loadCedarAuthorizer();
const caller = (roles: string[]): Caller => ({
  userId: "caller",
  orgId: "org-a",
  tokenId: "token",
  instanceRoles: [],
  orgRoles: new Map([["org-a", roles]]),
});
const target = { orgId: "org-a", userId: "user-1", email: "ada@example.com", emailVerified: false };

function measure(name: string, c: Caller, seconds = Number(process.env.BENCH_SECONDS ?? 3)) {
  for (let i = 0; i < 2_000; i++) authz.decide(c, "user.invite.send", target);
  const started = performance.now();
  const until = started + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 500; i++) authz.decide(c, "user.invite.send", target);
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
  measure("allow (ORG_USER_MANAGER)", caller(["ORG_USER_MANAGER"])),
  measure("deny (ORG_USER_VIEWER)", caller(["ORG_USER_VIEWER"])),
];
console.log("| decision | decisions/s | µs per decision |\n| --- | ---: | ---: |");
for (const r of rows) console.log(`| ${r.name} | ${r.perSecond} | ${r.microseconds} |`);
