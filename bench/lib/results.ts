import { type DeliveryRecord, deliveryMedians } from "../phases/delivery.ts";
import type { InviteJobRecord } from "../phases/invite-jobs.ts";
import type { ProfileRecord } from "../phases/profile.ts";
import type { StartupRecord } from "../phases/setup-usher.ts";
import type { WebhookBenchRecord } from "../phases/webhooks.ts";
import { cpuMsPerRequest, type StepRecord } from "./measure.ts";

/** Everything one `npm run bench` measured: what bench/results.json holds. */
export interface Results {
  meta: {
    date: string;
    commit: string;
    /** Files changed in the work tree when it ran (git status --porcelain, count). */
    uncommittedFiles: number;
    node: string;
    postgres: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    /** `uptime` load averages (1, 5, 15 min) before and after the run. */
    loadBefore: number[];
    loadAfter: number[];
    seconds: number;
    connections: number[];
    seedUsers: number;
    /** Node flags the Usher processes ran with (beyond --report-on-fatalerror). */
    usherNodeFlags: string[];
    phases: string[];
    durationSeconds: number;
  };
  startup: StartupRecord[];
  steps: StepRecord[];
  delivery: DeliveryRecord[];
  /** Webhook deliveries to a loopback receiver, in order per user (bench/phases/webhooks.ts). */
  webhooks?: WebhookBenchRecord;
  inviteJobs?: InviteJobRecord[];
  profiles: ProfileRecord[];
  peerMailsSent?: number;
  ratios: Ratio[];
  targets: Target[];
  /** Phases that failed, with their error. */
  failures: string[];
}

export interface Ratio {
  what: string;
  connections: number;
  numerator: number;
  denominator: number;
  ratio: number;
  /** The denominator's server CPU per request ÷ the numerator's. */
  cpuRatio?: number;
}

export interface Target {
  target: string;
  value: string;
  met: boolean | null;
}

/** The step of a group, operation, surface and concurrency (the first when repeated). */
export function find(
  steps: readonly StepRecord[],
  group: string,
  op: string,
  surface: string,
  connections: number,
): StepRecord | undefined {
  return steps.find(
    (s) => s.group === group && s.op === op && s.surface === surface && s.connections === connections,
  );
}

/** Ratios of Usher's throughput to the ceilings, to gRPC/REST, to better-auth and to itself. */
export function computeRatios(r: Pick<Results, "steps" | "delivery" | "meta">): Ratio[] {
  const out: Ratio[] = [];
  const pairs: Array<[string, [string, string, string], [string, string, string]]> = [
    [
      "resend invite REST / ceiling (a) bare JSON",
      ["usher-postgres", "resend-invite", "REST"],
      ["ceiling", "ceiling-json", "HTTP"],
    ],
    [
      "resend invite REST / ceiling (b) unnamed",
      ["usher-postgres", "resend-invite", "REST"],
      ["ceiling", "ceiling-db-unnamed", "HTTP"],
    ],
    [
      "resend invite REST / ceiling (b) named",
      ["usher-postgres", "resend-invite", "REST"],
      ["ceiling", "ceiling-db-named", "HTTP"],
    ],
    [
      "resend invite tenant / ceiling (b) named",
      ["usher-postgres", "resend-invite", "tenant"],
      ["ceiling", "ceiling-db-named", "HTTP"],
    ],
    [
      "resend invite gRPC / REST",
      ["usher-postgres", "resend-invite", "gRPC"],
      ["usher-postgres", "resend-invite", "REST"],
    ],
    [
      "resend invite tenant / REST",
      ["usher-postgres", "resend-invite", "tenant"],
      ["usher-postgres", "resend-invite", "REST"],
    ],
    [
      "create user gRPC / REST",
      ["usher-postgres", "create-user", "gRPC"],
      ["usher-postgres", "create-user", "REST"],
    ],
    [
      "create user (no password) / better-auth sign-up",
      ["usher-postgres", "create-user", "REST"],
      ["peer", "sign-up", "REST"],
    ],
    [
      "create user (password) / better-auth sign-up",
      ["usher-postgres", "create-user-password", "REST"],
      ["peer", "sign-up", "REST"],
    ],
    [
      "create invite code / better-auth send-verification (session)",
      ["usher-postgres", "create-invite", "REST"],
      ["peer", "send-verification-session", "REST"],
    ],
    [
      "resend invite REST / better-auth send-verification (session)",
      ["usher-postgres", "resend-invite", "REST"],
      ["peer", "send-verification-session", "REST"],
    ],
    [
      "resend email code / better-auth send-verification (session)",
      ["usher-postgres", "resend-email-code", "REST"],
      ["peer", "send-verification-session", "REST"],
    ],
    [
      "resend email code / better-auth send-verification (no session)",
      ["usher-postgres", "resend-email-code", "REST"],
      ["peer", "send-verification-anonymous", "REST"],
    ],
    [
      "embedded / machine's PostgreSQL: resend invite REST",
      ["usher-embedded", "resend-invite", "REST"],
      ["usher-postgres", "resend-invite", "REST"],
    ],
    [
      "embedded / machine's PostgreSQL: create user REST",
      ["usher-embedded", "create-user", "REST"],
      ["usher-postgres", "create-user", "REST"],
    ],
  ];
  for (const c of r.meta.connections) {
    for (const [what, a, b] of pairs) {
      const x = find(r.steps, ...a, c);
      const y = find(r.steps, ...b, c);
      if (x && y && y.rps > 0)
        out.push({
          what,
          connections: c,
          numerator: x.rps,
          denominator: y.rps,
          ratio: x.rps / y.rps,
          cpuRatio: cpuMsPerRequest(y) / cpuMsPerRequest(x),
        });
    }
  }
  const paired = (op: string) => r.steps.filter((s) => s.group === "paired" && s.op === op);
  const [usher, ceiling] = [paired("resend-invite"), paired("ceiling-db-named")];
  if (usher.length > 0 && usher.length === ceiling.length) {
    // Equal time on each side: the ratio of all rounds' successes together.
    const rate = (xs: StepRecord[]) =>
      xs.reduce((a, s) => a + s.ok, 0) / xs.reduce((a, s) => a + s.seconds, 0);
    out.push({
      what: `${PAIRED_RATIO} (${usher.length} rounds each)`,
      connections: usher[0]?.connections ?? 0,
      numerator: rate(usher),
      denominator: rate(ceiling),
      ratio: rate(usher) / rate(ceiling),
    });
  }
  const one = r.steps.find((s) => s.group === "workers" && s.note === "1 worker(s)");
  const two = r.steps.find((s) => s.group === "workers" && s.note === "2 worker(s)");
  if (one && two)
    out.push({
      what: "resend invite REST, 2 workers / 1",
      connections: one.connections,
      numerator: two.rps,
      denominator: one.rps,
      ratio: two.rps / one.rps,
    });
  const [d1, d2] = deliveryMedians(r.delivery);
  if (d1 && d2)
    out.push({
      what: "delivery, 2 processes / 1 (medians of the rounds)",
      connections: 0,
      numerator: d2.perSecond,
      denominator: d1.perSecond,
      ratio: d2.perSecond / d1.perSecond,
    });
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const PAIRED_RATIO = "resend invite REST / ceiling (b) named, alternating rounds";

/** Each target of the issue, with the measured value and whether it was met. */
export function computeTargets(
  r: Pick<Results, "steps" | "delivery" | "meta" | "startup">,
  ratios: Ratio[],
): Target[] {
  const top = Math.max(...r.meta.connections);
  const t: Target[] = [];
  const ratio = (what: string, c = top) => ratios.find((x) => x.what === what && x.connections === c);
  const resend = find(r.steps, "usher-postgres", "resend-invite", "REST", top);
  const named = ratio("resend invite REST / ceiling (b) named");
  if (named)
    t.push({
      target: `resend invite REST at ${top} connections ≥ 80 % of ceiling (b) named`,
      value: pct(named.ratio),
      met: named.ratio >= 0.8,
    });
  const alternating = ratios.find((x) => x.what.startsWith(PAIRED_RATIO));
  if (alternating)
    t.push({
      target: `resend invite REST at ${alternating.connections} connections ≥ 80 % of ceiling (b) named, alternating rounds`,
      value: pct(alternating.ratio),
      met: alternating.ratio >= 0.8,
    });
  if (resend) {
    t.push({
      target: `resend invite REST at ${top}: p99 < 100 ms`,
      value: `${resend.p99.toFixed(1)} ms`,
      met: resend.p99 < 100,
    });
    t.push({
      target: `resend invite REST at ${top}: zero errors`,
      value: String(resend.errors),
      met: resend.errors === 0,
    });
  }
  for (const c of r.meta.connections) {
    const g = ratio("resend invite gRPC / REST", c);
    if (g)
      t.push({
        target: `resend invite gRPC within 10 % of REST (${c} connections)`,
        value: pct(g.ratio),
        met: g.ratio >= 0.9 && g.ratio <= 1.1,
      });
  }
  for (const x of ratios.filter((q) => q.what.includes("better-auth") && q.connections === top))
    t.push({
      target: `≥ 5× better-auth: ${x.what} (${top})`,
      value: `${x.ratio.toFixed(1)}×`,
      met: x.ratio >= 5,
    });
  const embeddedResend = find(r.steps, "usher-embedded", "resend-invite", "REST", top);
  const embeddedRatio = ratio("embedded / machine's PostgreSQL: resend invite REST");
  if (embeddedRatio)
    t.push({
      target: `embedded server: resend invite REST at ${top} connections ≥ 80 % of the same on the machine's PostgreSQL`,
      value: pct(embeddedRatio.ratio),
      met: embeddedRatio.ratio >= 0.8,
    });
  if (embeddedResend) {
    t.push({
      target: `embedded server: resend invite REST at ${top}: p99 < 250 ms, zero errors`,
      value: `${embeddedResend.p99.toFixed(1)} ms, ${embeddedResend.errors} errors`,
      met: embeddedResend.p99 < 250 && embeddedResend.errors === 0,
    });
  }
  const embeddedSteps = r.steps.filter((s) => s.group === "usher-embedded" && s.database);
  if (embeddedSteps.length > 0) {
    const pss = Math.max(...embeddedSteps.map((s) => s.database?.peakPssMiB ?? 0));
    const rssSum = Math.max(...embeddedSteps.map((s) => s.database?.peakRssSumMiB ?? 0));
    t.push({
      target: "embedded server's own memory, beside Usher's (all postgres processes; shown, not judged)",
      value: `PSS ${pss.toFixed(0)} MiB (sum of RSS ${rssSum.toFixed(0)} MiB)`,
      met: null,
    });
  }
  const rssGroups: Array<[string, (g: string) => boolean, boolean]> = [
    ["on PostgreSQL", (g) => g === "usher-postgres" || g === "workers" || g === "paired", true],
    ["on its embedded PostgreSQL (the server is a process of its own)", (g) => g === "usher-embedded", true],
  ];
  for (const [where, inGroup, judged] of rssGroups) {
    const steps = r.steps.filter((s) => inGroup(s.group) && s.op !== "ceiling-db-named");
    if (steps.length === 0) continue;
    const worst = steps.reduce((a, b) => (b.server.peakRssMiB > a.server.peakRssMiB ? b : a));
    t.push({
      target: `RSS < 200 MB per Usher process ${where} (highest seen in any step)`,
      value: `${worst.server.peakRssMiB.toFixed(0)} MiB (${worst.group} ${worst.op} ${worst.surface} c=${worst.connections})`,
      met: judged ? worst.server.peakRssMiB * 1.048576 < 200 : null,
    });
  }
  for (const s of r.startup.filter((x) => x.database === "postgres" && !x.kind.includes("better-auth")))
    t.push({
      target: `ready within 2 s of start on PostgreSQL: ${s.kind}`,
      value: `${(s.readyMs / 1000).toFixed(2)} s`,
      met: s.readyMs <= 2000,
    });
  for (const s of r.startup.filter((x) => x.database === "embedded")) {
    const cold = s.kind.startsWith("cold");
    t.push({
      target: `ready within ${cold ? 5 : 2} s of start on the embedded server: ${s.kind}`,
      value: `${(s.readyMs / 1000).toFixed(2)} s`,
      met: s.readyMs <= (cold ? 5000 : 2000),
    });
  }
  // Delivery: at least 1,000 messages/s from one process, and more with two.
  // Each process count by its median run; the rounds are in the delivery table.
  const medians = deliveryMedians(r.delivery);
  const one = medians.find((d) => d.processes === 1);
  for (const d of medians)
    t.push({
      target:
        d.processes === 1
          ? "delivery ≥ 1,000 messages/s (1 process, median of the rounds)"
          : `delivery with ${d.processes} processes faster than with 1 (medians of the rounds)`,
      value: `${d.perSecond.toFixed(0)}/s`,
      met: d.processes === 1 ? d.perSecond >= 1000 : one ? d.perSecond > one.perSecond : null,
    });
  return t;
}
