import pino, { type Logger } from "pino";
import { createServer } from "./api/server.ts";
import { tenantRoutes } from "./api/tenant/routes.ts";
import { actionServiceV2beta } from "./api/zitadel/action-service.ts";
import { adminServiceV1 } from "./api/zitadel/admin-service.ts";
import { managementServiceV1 } from "./api/zitadel/management-service.ts";
import { orgServiceV2 } from "./api/zitadel/org-service.ts";
import { userServiceV2 } from "./api/zitadel/user-service.ts";
import { assertRulesSupported, servedMethods } from "./api/zitadel/validate/supported.ts";
import { CallerCache } from "./authz/caller-cache.ts";
import { loadCedarAuthorizer } from "./authz/cedar-authorizer.ts";
import { bootstrapInstance } from "./commands/bootstrap.ts";
import type { CommandDeps } from "./commands/deps.ts";
import type { Config } from "./config/load.ts";
import { loadKeys } from "./config/master-key.ts";
import { withErrorKinds } from "./db/db-errors.ts";
import { migrate } from "./db/migrate.ts";
import { openDb } from "./db/open.ts";
import { openProbe } from "./db/probe.ts";
import type { Db } from "./db/types.ts";
import { InviteJobWorker } from "./jobs/invite-job-worker.ts";
import { createMetrics } from "./ops/metrics.ts";
import { createSender } from "./outbox/provider.ts";
import type { Sender } from "./outbox/sender.ts";
import { WebhookWorker } from "./outbox/webhook-worker.ts";
import { OutboxWorker } from "./outbox/worker.ts";

export interface AppOptions {
  config: Config;
  log?: Logger;
  /** Replaces the clock (tests expire codes with it). */
  now?: () => Date;
  /** Replaces the configured sender (tests). */
  sender?: Sender;
  /** An already open database (tests pass one to share it). */
  db?: Db;
  /** Where the first start shows the first admin's link (default: standard output, never the log). */
  announce?: (text: string) => void;
}

/** The composition root: one graph of database, commands, worker and server; tests build the same. */
export async function createApp(options: AppOptions) {
  const { config } = options;
  const log = options.log ?? pino({ level: config.logLevel, base: { service: "usher" } });
  const now = options.now ?? (() => new Date());
  // Policies first: a broken operator policy stops the start before anything is opened.
  const authz = loadCedarAuthorizer({ policyDir: config.policyDir, cacheDir: config.dataDir });
  // Database errors in client terms (outage 503, timeout 504, unstorable input 400), for every surface.
  const db = withErrorKinds(
    options.db ??
      (await openDb({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: config.dbPoolSize,
        statementTimeoutMs: config.dbStatementTimeout,
        log,
      })),
  );
  const keys = loadKeys(config, log);
  const callers = new CallerCache(config.authCacheTtl);
  const deps: CommandDeps = { db, keys, authz, config, now, callers };
  let unwatchCallers: (() => Promise<void>) | undefined;
  const sender = options.sender ?? createSender(config, db, keys);
  const metrics = createMetrics();
  const worker = new OutboxWorker({
    db,
    sender,
    log,
    outboxKey: keys.outbox,
    from: config.mailFrom,
    externalUrl: config.externalUrl,
    defaultLanguage: config.defaultLanguage,
    metrics,
    maxAttempts: config.deliveryMaxAttempts,
    pollIntervalMs: config.deliveryPollInterval,
    leaseMs: config.deliveryLease,
    backoffBaseMs: config.deliveryBackoffBase,
    backoffMaxMs: config.deliveryBackoffMax,
    concurrency: config.deliveryConcurrency,
    circuit: {
      threshold: config.deliveryCircuitThreshold,
      probeMs: config.deliveryCircuitProbe,
      probeMaxMs: config.deliveryCircuitProbeMax,
    },
    now,
  });
  const webhooks = new WebhookWorker({
    db,
    log,
    secretKey: keys.webhook,
    allowPrivate: config.webhookAllowPrivate,
    responseLimit: config.webhookResponseLimit,
    concurrency: config.webhookConcurrency,
    pollIntervalMs: config.deliveryPollInterval,
    leaseMs: config.deliveryLease,
    backoffBaseMs: config.deliveryBackoffBase,
    backoffMaxMs: config.deliveryBackoffMax,
    now,
  });
  const inviteJobs = new InviteJobWorker({
    deps,
    log,
    batchSize: config.inviteJobBatch,
    concurrency: config.inviteJobConcurrency,
    pollIntervalMs: config.deliveryPollInterval,
    retentionMs: config.inviteJobRetention,
  });
  const probe = openProbe(db.connectionString);
  let isReady = false;
  let stopped = false;
  /** Every ZITADEL service Usher serves and the methods it implements. */
  const bindings = [
    userServiceV2(deps),
    orgServiceV2(deps),
    managementServiceV1(deps),
    adminServiceV1(deps),
    actionServiceV2beta(deps),
  ];
  // A served method must not carry a validation rule Usher would silently skip.
  assertRulesSupported(servedMethods(bindings));
  const server = createServer({
    deps,
    log,
    bindings,
    metrics,
    tenantRoutes: tenantRoutes(deps),
    externalUrl: config.externalUrl,
    devMailbox: sender.name === "mailbox",
    isReady: () => isReady,
    probe,
  });

  return {
    config,
    log,
    db,
    deps,
    worker,
    webhooks,
    inviteJobs,
    sender,
    server,
    bindings,
    metrics,
    /** Migrates, bootstraps the instance on first start, starts the worker and the listener. */
    async start() {
      const applied = await migrate(db);
      if (applied.length > 0) log.info({ migrations: applied }, "database migrated");
      const boot = await bootstrapInstance(db, {
        orgName: config.defaultOrgName,
        domainSuffix: new URL(config.externalUrl).hostname,
        patPath: config.firstInstancePatPath,
        now: now(),
        firstAdmin: {
          email: config.adminEmail,
          codeHmac: keys.codeHmac,
          initCodeTtl: config.initCodeTtl,
          externalUrl: config.externalUrl,
        },
      });
      if (boot.created)
        log.info(
          { patPath: config.firstInstancePatPath, orgId: boot.defaultOrgId },
          "first start: admin token written",
        );
      if (boot.firstAdmin) {
        // The link holds a code: shown once to whoever started Usher, and kept out of the log.
        const announce = options.announce ?? ((text: string) => process.stdout.write(text));
        announce(
          `\nUsher's first admin is ${config.adminEmail}. Set its password (once, within ${Math.round(config.initCodeTtl / 3_600_000)} h):\n\n  ${boot.firstAdmin.initLink}\n\nthen sign in to the console at ${config.externalUrl}/ui/console\n\n`,
        );
      }
      // After the migrations: the triggers that announce auth changes must exist first.
      unwatchCallers = await callers.watch(db);
      await worker.start();
      await webhooks.start();
      await inviteJobs.start();
      const address = await server.listen(config.port, config.host);
      isReady = true;
      log.info(
        {
          port: address.port,
          host: config.host,
          database: config.databaseUrl ? "postgres" : "embedded postgres",
          mail: sender.name,
          adminTokenFile: config.firstInstancePatPath,
        },
        `Usher listening on ${config.externalUrl} (admin token in ${config.firstInstancePatPath})`,
      );
      return { port: address.port, bootstrap: boot };
    },
    /** Graceful stop: no new requests, in-flight ones finish, claimed messages are released. */
    async stop() {
      if (stopped) return;
      stopped = true;
      isReady = false;
      await server.close();
      await inviteJobs.stop();
      await worker.stop();
      await webhooks.stop();
      await unwatchCallers?.();
      await sender.close?.();
      await probe.close();
      if (!options.db) await db.close();
    },
  };
}

export type App = Awaited<ReturnType<typeof createApp>>;
