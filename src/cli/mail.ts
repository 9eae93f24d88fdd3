import type { Config } from "../config/load.ts";
import { loadKeys } from "../config/master-key.ts";
import { migrate } from "../db/migrate.ts";
import { openDb } from "../db/open.ts";
import { uuidv7 } from "../domain/ids.ts";
import { createSender } from "../outbox/provider.ts";
import { type CircuitRecord, deliveryCircuitQueries } from "../queries/delivery-circuit.ts";
import { outboxQueries } from "../queries/outbox.ts";
import { type MessageRecord, outboxAdminQueries } from "../queries/outbox-admin.ts";
import type { Args } from "./args.ts";

export const MAIL_HELP = `usher mail — look at and act on outgoing messages

  usher mail list [--status S] [--user ID] [--limit N] [--json]
                                 newest first; S: queued, sending, sent, failed, superseded, cancelled;
                                 headed by a line per process whose provider is unavailable
  usher mail show ID [--json]    one message with its delivery record (never its code)
  usher mail retry ID            queue a failed message again (if it is still the newest of its kind)
  usher mail test --to ADDRESS   send one test message through the configured provider and
                                 print the provider's answer (e.g. the SMTP server's reply)`;

const STATUSES = ["queued", "sending", "sent", "failed", "superseded", "cancelled"];

/** Runs `usher mail …`; returns the exit code. */
export async function mailCommand(args: Args, config: Config, out: (s: string) => void): Promise<number> {
  const [sub, id] = args.rest;
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrate(db);
    switch (sub) {
      case "list": {
        const status = args.flags.get("status");
        if (status && !STATUSES.includes(status))
          throw new Error(`--status must be one of ${STATUSES.join(", ")}`);
        const limit = Number(args.flags.get("limit") ?? 50);
        if (!Number.isInteger(limit) || limit < 1) throw new Error("--limit must be a positive whole number");
        const rows = await outboxAdminQueries(db).list({ status, userId: args.flags.get("user"), limit });
        const outages = await deliveryCircuitQueries(db).open();
        // JSON stays the list of messages scripts expect; outages head the text listing.
        if (args.flags.has("json")) out(JSON.stringify(rows, null, 2));
        else out([...outages.map(outage), ...(rows.length ? rows.map(line) : ["no messages"])].join("\n"));
        return 0;
      }
      case "show": {
        if (!id) throw new Error("usage: usher mail show ID");
        const m = await outboxAdminQueries(db).get(id);
        if (!m) throw new Error(`no message ${id}`);
        out(args.flags.has("json") ? JSON.stringify(m, null, 2) : details(m));
        return 0;
      }
      case "retry": {
        if (!id) throw new Error("usage: usher mail retry ID");
        const result = await outboxQueries(db).retry(id, new Date());
        const text = {
          queued: `queued ${id} again; a running Usher sends it`,
          not_failed: `${id} is not a failed message`,
          outdated: `${id} carries an outdated code (a newer message of its kind exists); not retried`,
          expired: `${id} has expired; issue a new code instead`,
        }[result];
        out(text);
        return result === "queued" ? 0 : 1;
      }
      case "test": {
        const to = args.flags.get("to");
        if (!to) throw new Error("usage: usher mail test --to ADDRESS");
        // The dev mailbox stores the test message sealed with the master key's mailbox key.
        const keys = loadKeys(config, { info: (_facts, message) => out(message) });
        const sender = createSender(config, db, keys);
        const id = uuidv7();
        try {
          const receipt = await sender.send({
            to,
            from: config.mailFrom,
            subject: "Usher test message",
            text: "This is a test message from Usher. Delivery works.\n",
            html: "<p>This is a test message from Usher. Delivery works.</p>",
            messageId: `<test-${id}@usher>`,
            outboxId: id,
            orgId: "",
            args: {
              type: "VerifyEmail",
              language: "en",
              userId: "",
              code: "",
              link: "",
              displayName: "",
              username: "",
              applicationName: "",
            },
          });
          out(`sent through ${sender.name}: ${receipt.response}`);
          return 0;
        } finally {
          await sender.close?.();
        }
      }
      default:
        out(MAIL_HELP);
        return sub ? 2 : 0;
    }
  } finally {
    await db.close();
  }
}

function line(m: MessageRecord): string {
  const error = m.last_error ? `  ${m.last_error}` : "";
  return `${m.id}  ${m.created_at.toISOString()}  ${m.message_type.padEnd(13)} ${m.status.padEnd(10)} x${m.attempts}  ${m.recipient}${error}`;
}

/** One process's open circuit: delivery is paused there until its provider answers a probe. */
function outage(c: CircuitRecord): string {
  return `provider ${c.provider} unavailable since ${c.changedAt.toISOString()} (process ${c.process}, last probe ${c.checkedAt.toISOString()}): delivery paused, probing${c.lastError ? ` — ${c.lastError}` : ""}`;
}

function details(m: MessageRecord): string {
  return Object.entries(m)
    .map(([k, v]) => `${k.padEnd(16)} ${v instanceof Date ? v.toISOString() : (v ?? "—")}`)
    .join("\n");
}
