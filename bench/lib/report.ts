import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpuMsPerRequest, type StepRecord } from "./measure.ts";
import type { Results } from "./results.ts";

const BEGIN = "<!-- bench:results:begin (written by npm run bench; edit outside these markers) -->";
const END = "<!-- bench:results:end -->";

const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const n2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");

const LABELS: Record<string, string> = {
  "create-user": "create user (v2 AddHumanUser, email code mailed)",
  "create-user-password": "create user with password (argon2id)",
  "create-invite": "create invite code (mailed)",
  "create-invite-return": "create invite code (returned)",
  "resend-invite": "resend invite code",
  "resend-email-code": "resend email code",
  "verify-invite": "verify invite code",
  "get-user": "get user by id",
  "list-users": "list users (first 20 of all)",
  "list-users-email": "list users (email prefix, 20 of 100)",
  "ceiling-json": "(a) bare node:http, small JSON",
  "ceiling-db-unnamed": "(b) resend's DB work, unnamed statements",
  "ceiling-db-named": "(b) resend's DB work, named statements",
  "sign-up": "sign-up email+password (hash, user, account, session, mail)",
  "send-verification-session": "send-verification-email, signed in",
  "send-verification-anonymous": "send-verification-email, no session (500 ms floor)",
};

function stepTable(steps: readonly StepRecord[], withBacklog: boolean): string {
  const head = `| operation | surface | conns | ok/s | p50 ms | p99 ms | errors | secs | server CPU (cores) | CPU ms/request | peak RSS MiB | machine busy | load generator CPU |${withBacklog ? " backlog after |" : ""}`;
  const rule = `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${withBacklog ? " ---: |" : ""}`;
  const rows = steps.map(
    (s) =>
      `| ${LABELS[s.op] ?? s.op}${s.note ? ` — ${shortNote(s.note)}` : ""} | ${s.surface} | ${s.connections} | ${n0(s.rps)} | ${n1(s.p50)} | ${n1(s.p99)} | ${s.errors} | ${n1(s.seconds)} | ${n2(s.server.cpuCores)} | ${n2(cpuMsPerRequest(s))} | ${n0(s.server.peakRssMiB)} | ${n0(s.server.machineBusyPct)} % | ${n2(s.server.loadgenCores)} |${withBacklog ? ` ${s.backlogAfter ?? "–"} |` : ""}`,
  );
  return [head, rule, ...rows].join("\n");
}

/** A note fit for a table cell: a crash is named, its dump is in results.json. */
const shortNote = (note: string) =>
  note.startsWith("Usher died")
    ? `**${note.slice(0, note.indexOf(":"))}** (output in results.json)`
    : note.replaceAll("|", "/");

/** The generated part of RESULTS.md. */
export function renderResults(r: Results): string {
  const m = r.meta;
  const out: string[] = [];
  out.push(
    `Run of ${m.date} on commit \`${m.commit}\`${m.uncommittedFiles ? ` (+${m.uncommittedFiles} uncommitted files in the work tree)` : ""}: ` +
      `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres}. ` +
      `Usher ran with \`${m.usherNodeFlags.join(" ") || "(no extra flags)"}\`. Steps of ${m.seconds} s at ${m.connections.join(" and ")} connections; ${n0(m.seedUsers)} seeded users; whole run ${n0(m.durationSeconds)} s. ` +
      `Load averages (1/5/15 min) before: ${m.loadBefore.join(" ")}, after: ${m.loadAfter.join(" ")}. Raw numbers: [results.json](results.json).`,
  );
  const groups: Array<[string, string, boolean]> = [
    ["usher-postgres", "Usher on PostgreSQL", true],
    [
      "usher-embedded",
      "Usher on its embedded PostgreSQL (the default; RSS: Usher's process, the server's in the targets)",
      true,
    ],
    ["ceiling", "Ceilings of the stack (same machine, database and users)", false],
    ["paired", "Resend invite against ceiling (b) named, in alternating rounds (both servers up)", false],
    ["peer", "Peer: better-auth on the same PostgreSQL", false],
    ["workers", "`usher start --workers N` (CPU and RSS: all processes of the group)", true],
  ];
  for (const [group, title, backlog] of groups) {
    const steps = r.steps.filter((s) => s.group === group);
    if (steps.length > 0) out.push(`### ${title}\n\n${stepTable(steps, backlog)}`);
  }
  if (r.startup.length > 0) {
    out.push(
      `### Start-up (spawn → \`/readyz\` 200)\n\n| database | start | ready after |\n| --- | --- | ---: |\n${r.startup
        .map((s) => `| ${s.database} | ${s.kind} | ${n2(s.readyMs / 1000)} s |`)
        .join("\n")}`,
    );
  }
  if (r.delivery.length > 0) {
    out.push(
      `### Delivery (queued in one transaction → accepted by a loopback SMTP server; each round times 1 and 2 processes, alternating which goes first)\n\n| round | processes | messages | seconds | messages/s | Usher CPU (cores) | Usher CPU ms per message | PostgreSQL CPU, all of the machine (cores) | machine busy (cores) | CPU s per process | load | peak RSS MiB per process |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n${[
        ...r.delivery,
      ]
        .sort((a, b) => a.processes - b.processes || a.round - b.round)
        .map(
          (d) =>
            `| ${d.round} | ${d.processes} | ${n0(d.accepted)} of ${n0(d.messages)} | ${n1(d.seconds)} | ${n0(d.perSecond)} | ${n2(d.server.cpuCores)} | ${d.cpuMsPerMessage?.toFixed(3) ?? "–"} | ${d.databaseCores?.toFixed(2) ?? "–"} | ${d.machineCores?.toFixed(2) ?? "–"} | ${d.processCpuSeconds?.map((c) => c.toFixed(2)).join(" / ") ?? "–"} | ${d.load?.toFixed(1) ?? "–"} | ${n0(d.server.peakRssMiB)} |`,
        )
        .join("\n")}`,
    );
  }
  if (r.webhooks) {
    const w = r.webhooks;
    out.push(
      `### Webhooks (events written in one transaction → answered by a loopback receiver, order per user kept)\n\n| deliveries | users | seconds | deliveries/s | out of order |\n| ---: | ---: | ---: | ---: | ---: |\n| ${n0(w.deliveries)} | ${n0(w.users)} | ${n1(w.seconds)} | ${n0(w.perSecond)} | ${w.outOfOrder} |`,
    );
  }
  if (r.inviteJobs?.length) {
    out.push(
      `### Invite jobs (one process; POST /v1/invite-jobs → every row applied)\n\n| database | mail | rows | upload s | rows/s applied | invites mailed/s | CPU (cores) | peak RSS MiB |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n${r.inviteJobs
        .map(
          (j) =>
            `| ${j.database} | ${j.mail} | ${n0(j.rows)} | ${n1(j.uploadSeconds)} | ${n0(j.rowsPerSecond)} | ${j.mailedPerSecond === null ? "–" : n0(j.mailedPerSecond)} | ${n2(j.cpuCores)} | ${n0(j.peakRssMiB)} |`,
        )
        .join("\n")}`,
    );
  }
  if (r.ratios.length > 0) {
    out.push(
      `### Ratios (throughput)\n\n| ratio | conns | value | numerator/s | denominator/s |\n| --- | ---: | ---: | ---: | ---: |\n${r.ratios
        .map(
          (x) =>
            `| ${x.what} | ${x.connections || "–"} | ${n2(x.ratio)} | ${n0(x.numerator)} | ${n0(x.denominator)} |`,
        )
        .join("\n")}`,
    );
  }
  if (r.targets.length > 0) {
    out.push(
      `### Targets\n\n| target | measured | met |\n| --- | --- | --- |\n${r.targets
        .map((t) => `| ${t.target} | ${t.value} | ${t.met === null ? "–" : t.met ? "yes" : "**no**"} |`)
        .join("\n")}`,
    );
  }
  for (const p of r.profiles) {
    out.push(
      `### CPU profile: ${LABELS[p.op] ?? p.op} ${p.surface} at ${p.connections} connections\n\n` +
        `${n0(p.step.rps)} ok/s under the profiler; ${n0(p.sampledMs)} ms of samples while the load ran.\n\n` +
        `| self % | function | where |\n| ---: | --- | --- |\n${p.top.map((f) => `| ${n1(f.selfPct)} | \`${f.fn}\` | ${f.where} |`).join("\n")}\n\n` +
        `| self % | area |\n| ---: | --- |\n${p.areas.map((a) => `| ${n1(a.selfPct)} | ${a.area} |`).join("\n")}`,
    );
  }
  if (r.failures.length > 0)
    out.push(`### Failures\n\n${r.failures.map((f) => `- ${f.replaceAll("\n", " ")}`).join("\n")}`);
  return out.join("\n\n");
}

/** Writes the generated part between the markers, keeping what was written around them. */
export function writeResultsMarkdown(file: string, r: Results): void {
  const generated = `${BEGIN}\n\n${renderResults(r)}\n\n${END}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const text =
    start >= 0 && end > start
      ? current.slice(0, start) + generated + current.slice(end + END.length)
      : `# Usher benchmarks\n\nWritten by \`npm run bench\` (bench/run.ts).\n\n${generated}\n\n## Reading\n\n(to be written after a run)\n`;
  writeFileSync(file, text);
}
