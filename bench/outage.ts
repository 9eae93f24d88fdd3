// The outage drill at full size: two Usher processes on PostgreSQL invite 1,000 users (a
// resend for every fifth among them) while the mail provider is down for 5 minutes; then it
// comes back, and the drill reports how long until every user's newest code has arrived, and
// whether any message arrived twice or out of order. Default settings (the 10 min retry cap,
// the 15 s probe cap). Run:
//   USHER_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/outage.ts
// OUTAGE_PROVIDER (smtp, webhook or both; default both), OUTAGE_SECONDS (300),
// OUTAGE_INVITES (1000), OUTAGE_PROCESSES (2) make other drills.
import { runOutage } from "../test/helpers/outage.ts";

if (!process.env.USHER_TEST_DATABASE_URL) throw new Error("set USHER_TEST_DATABASE_URL (PostgreSQL)");
const providers =
  (process.env.OUTAGE_PROVIDER ?? "both") === "both" ? ["smtp", "webhook"] : [process.env.OUTAGE_PROVIDER];
for (const provider of providers) {
  if (provider !== "smtp" && provider !== "webhook")
    throw new Error("OUTAGE_PROVIDER: smtp, webhook or both");
  const started = Date.now();
  const result = await runOutage({
    provider,
    invites: Number(process.env.OUTAGE_INVITES ?? 1000),
    outageMs: Number(process.env.OUTAGE_SECONDS ?? 300) * 1000,
    processes: Number(process.env.OUTAGE_PROCESSES ?? 2),
    recoverLimitMs: 180_000,
    progress: (line) =>
      process.stdout.write(`  [${provider} ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
