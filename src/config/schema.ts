import { addressList, bool, duration, int, type Kind, oneOf, text, url } from "./kinds.ts";

/**
 * One configuration key, stated once: its type and bounds (`kind`), environment variables (the
 * first is the documented one), default as it would be written in the environment, and meaning.
 * The loader, `usher start --help` and the README's table are all derived from these.
 */
export interface KeySpec<T, Optional extends boolean = boolean> {
  readonly kind: Kind<T>;
  readonly env: readonly [string, ...string[]];
  /** The default, written as in the environment; parsed (and checked) like any other value. */
  readonly default: string | undefined;
  /** How help and the README show a default the loader derives from other keys. */
  readonly derived: string | undefined;
  /** Values never appear in errors, logs or help. */
  readonly secret: boolean;
  readonly doc: string;
  readonly optional: Optional;
}

interface Options {
  env: string | readonly [string, ...string[]];
  secret?: boolean;
  derived?: string;
  doc: string;
}

/** A key that always has a value (`default` applies when nothing sets it). */
function key<T>(kind: Kind<T>, o: Options & { default: string }): KeySpec<T, false> {
  return spec(kind, o, o.default, false);
}

/** A key that may stay unset (its value is then `undefined`, or derived by the loader). */
function optional<T>(kind: Kind<T>, o: Options): KeySpec<T, true> {
  return spec(kind, o, undefined, true);
}

function spec<T, O extends boolean>(
  kind: Kind<T>,
  o: Options,
  dflt: string | undefined,
  opt: O,
): KeySpec<T, O> {
  return {
    kind,
    env: typeof o.env === "string" ? [o.env] : o.env,
    default: dflt,
    derived: o.derived,
    secret: o.secret ?? false,
    doc: o.doc,
    optional: opt,
  };
}

/**
 * Every key Usher reads, in the order the README and `usher start --help` list them. Add a key
 * here and nowhere else; run `npm run config:readme` to rewrite the README's table.
 */
export const SCHEMA = {
  port: key(int(0, 65535), {
    env: "USHER_PORT",
    default: "8080",
    doc: "TCP port for every surface (HTTP/1.1 and h2c).",
  }),
  host: key(text(), {
    env: "USHER_HOST",
    default: "0.0.0.0",
    doc: "Address to listen on.",
  }),
  dataDir: key(text(), {
    env: "USHER_DATA_DIR",
    default: "./.usher",
    doc: "Folder for the embedded PostgreSQL server (`pg/`), the admin token and the generated master key.",
  }),
  databaseUrl: optional(url("postgres:", "postgresql:"), {
    env: ["DATABASE_URL", "USHER_DATABASE_URL"],
    secret: true,
    doc: "PostgreSQL connection URL; when unset Usher runs its own PostgreSQL server in <data dir>/pg.",
  }),
  dbPoolSize: key(int(1), {
    env: "USHER_DB_POOL_SIZE",
    default: "10",
    doc: "Connections in the PostgreSQL pool (per process).",
  }),
  authCacheTtl: key(duration(0), {
    env: "USHER_AUTH_CACHE_TTL",
    default: "30s",
    doc: "Longest a process reuses a token's owner and roles without asking the database; revocations and role or user-state changes reach every process at once regardless. `0` turns it off.",
  }),
  inviteJobMaxBytes: key(int(0), {
    env: "USHER_INVITE_JOB_MAX_BYTES",
    default: "268435456",
    doc: "Largest file `POST /v1/invite-jobs` takes, in bytes (256 MiB: some 3 million rows); other tenant API bodies stay at 64 KiB. Checked after the credential, against the declared length and while reading.",
  }),
  inviteJobBatch: key(int(0), {
    env: "USHER_INVITE_JOB_BATCH",
    default: "250",
    doc: "Rows of an invite job applied per transaction.",
  }),
  inviteJobConcurrency: key(int(0), {
    env: "USHER_INVITE_JOB_CONCURRENCY",
    default: "4",
    doc: "Invite job batches each process applies at once (each holds a database connection); `0`: this process applies none.",
  }),
  inviteJobRetention: key(duration(1), {
    env: "USHER_INVITE_JOB_RETENTION",
    default: "30d",
    doc: "How long a finished invite job keeps its rows (each row's outcome and reason); then they are deleted and the job keeps only its totals (`rows_kept_until`).",
  }),
  headersTimeout: key(duration(1), {
    env: "USHER_HEADERS_TIMEOUT",
    default: "10s",
    doc: "A new connection must send its first bytes, and each request its complete headers, within this; else the connection is closed (HTTP/1.1 answers 408).",
  }),
  requestTimeout: key(duration(1), {
    env: "USHER_REQUEST_TIMEOUT",
    default: "30s",
    doc: "A request's headers and body must have arrived within this from its start; else HTTP/1.1 answers 408 and closes, HTTP/2 resets the stream. Not less than the headers timeout.",
  }),
  keepAliveTimeout: key(duration(1), {
    env: "USHER_KEEP_ALIVE_TIMEOUT",
    default: "65s",
    doc: "An idle HTTP/1.1 keep-alive connection, or an HTTP/2 connection without open streams, is closed after this. Longer than the 60 s idle timeout of common load balancers, so they close first.",
  }),
  maxConnections: key(int(1), {
    env: "USHER_MAX_CONNECTIONS",
    default: "4096",
    doc: "Most connections the process holds open; more are answered 503 and closed. Lowered at start to fit the process's open-file limit.",
  }),
  maxConnectionsPerAddress: key(int(1), {
    env: "USHER_MAX_CONNECTIONS_PER_ADDRESS",
    default: "256",
    doc: "Most connections open at once from one client address; more are answered 503 and closed. Behind a reverse proxy every connection comes from the proxy: raise it to the proxy's pool size.",
  }),
  http2MaxStreams: key(int(1), {
    env: "USHER_HTTP2_MAX_STREAMS",
    default: "100",
    doc: "Most concurrent requests (streams) on one HTTP/2 connection.",
  }),
  externalUrl: optional(url("http:", "https:"), {
    env: "USHER_EXTERNAL_URL",
    derived: "`http://localhost:<port>`",
    doc: "Public origin used in email links.",
  }),
  firstInstancePatPath: optional(text(), {
    env: "USHER_FIRST_INSTANCE_PAT_PATH",
    derived: "`<data dir>/admin.pat`",
    doc: "Where the first start writes the admin token (mode 0600).",
  }),
  masterKey: optional(text(), {
    env: "USHER_MASTER_KEY",
    secret: true,
    derived: "generated into `<data dir>/master.key`",
    doc: "32-byte key (base64 or hex) for code hashes and encrypted outbox payloads. Set it when processes run on several machines.",
  }),
  smtpUrl: optional(url("smtp:", "smtps:"), {
    env: "USHER_SMTP_URL",
    secret: true,
    doc: "SMTP server, `smtp://user:pass@host:port` or `smtps://…`. When unset, mail goes to the dev mailbox (`/dev/mailbox`).",
  }),
  mailProvider: key(oneOf("auto", "smtp", "webhook", "mailbox"), {
    env: "USHER_MAIL_PROVIDER",
    default: "auto",
    doc: "auto, smtp, webhook or mailbox. auto: SMTP when USHER_SMTP_URL is set, else the webhook when USHER_WEBHOOK_URL is set, else the dev mailbox — which NODE_ENV=production refuses.",
  }),
  webhookUrl: optional(url("http:", "https:"), {
    env: "USHER_WEBHOOK_URL",
    secret: true,
    doc: "HTTP endpoint that receives each message as a JSON POST.",
  }),
  webhookSecret: optional(text(), {
    env: "USHER_WEBHOOK_SECRET",
    secret: true,
    doc: "Key for the webhook's `X-Usher-Signature` header (HMAC-SHA256 of `<t>.<body>`).",
  }),
  webhookTimeout: key(duration(0), {
    env: "USHER_WEBHOOK_TIMEOUT",
    default: "10s",
    doc: "How long a webhook call may take before it counts as failed (and is retried).",
  }),
  mailRatePerSecond: key(int(0), {
    env: "USHER_MAIL_RATE",
    default: "0",
    doc: "Most messages per second each process hands to the provider; 0 means no limit.",
  }),
  defaultLanguage: key(text(), {
    env: "USHER_DEFAULT_LANGUAGE",
    default: "en",
    doc: "Language of messages for users whose preferred language is not bundled (en, de, fr, es).",
  }),
  mailFrom: key(text(), {
    env: "USHER_MAIL_FROM",
    default: "Usher <no-reply@localhost>",
    doc: "From address of every message.",
  }),
  applicationName: key(text(), {
    env: "USHER_APPLICATION_NAME",
    default: "Usher",
    doc: "Application name in invite mails when the call gives none.",
  }),
  uiSuccessUrl: optional(url("http:", "https:"), {
    env: "USHER_UI_SUCCESS_URL",
    doc: "Where the hosted pages (`/ui/login/...`) send people (303) after success: an absolute http(s) URL. Default: none, a plain success page.",
  }),
  defaultOrgName: key(text(), {
    env: "USHER_DEFAULT_ORG_NAME",
    default: "Usher",
    doc: "Name of the organization created on first start.",
  }),
  adminEmail: key(text(), {
    env: "USHER_ADMIN_EMAIL",
    default: "admin@localhost",
    doc: "Email address of the first human admin (`IAM_OWNER`), created on first start in state INITIAL; the start prints, once, the link that sets its password.",
  }),
  consoleIdleTimeout: key(duration(0), {
    env: "USHER_CONSOLE_IDLE_TIMEOUT",
    default: "30m",
    doc: "A console session ends after this long without a request.",
  }),
  consoleSessionTtl: key(duration(0), {
    env: "USHER_CONSOLE_SESSION_TTL",
    default: "12h",
    doc: "A console session ends this long after sign-in, however active.",
  }),
  logLevel: key(oneOf("trace", "debug", "info", "warn", "error", "fatal", "silent"), {
    env: "USHER_LOG_LEVEL",
    default: "info",
    doc: "trace, debug, info, warn, error or silent.",
  }),
  policyDir: optional(text(), {
    env: "USHER_POLICY_DIR",
    doc: "Folder of operator Cedar policies (`*.cedar`) added to the defaults; validated at start.",
  }),
  inviteCodeLength: key(int(4, 20), {
    env: "USHER_INVITE_CODE_LENGTH",
    default: "6",
    doc: "Characters in an invite code (A–Z, 0–9).",
  }),
  inviteCodeTtl: key(duration(0), {
    env: "USHER_INVITE_CODE_TTL",
    default: "72h",
    doc: "How long an invite code is valid.",
  }),
  initCodeTtl: key(duration(0), {
    env: "USHER_INIT_CODE_TTL",
    default: "72h",
    doc: "How long an initialization code (v1 AddHumanUser, ResendHumanInitialization) is valid.",
  }),
  emailCodeTtl: key(duration(0), {
    env: "USHER_EMAIL_CODE_TTL",
    default: "1h",
    doc: "How long an email verification code is valid.",
  }),
  passwordCodeTtl: key(duration(0), {
    env: "USHER_PASSWORD_CODE_TTL",
    default: "1h",
    doc: "How long a password reset code is valid.",
  }),
  passwordMinLength: key(int(0), {
    env: "USHER_PASSWORD_MIN_LENGTH",
    default: "8",
    doc: "Shortest password accepted (characters).",
  }),
  passwordRequireLowercase: key(bool(), {
    env: "USHER_PASSWORD_REQUIRE_LOWERCASE",
    default: "false",
    doc: "Passwords must contain a lower-case letter.",
  }),
  passwordRequireUppercase: key(bool(), {
    env: "USHER_PASSWORD_REQUIRE_UPPERCASE",
    default: "false",
    doc: "Passwords must contain an upper-case letter.",
  }),
  passwordRequireNumber: key(bool(), {
    env: "USHER_PASSWORD_REQUIRE_NUMBER",
    default: "false",
    doc: "Passwords must contain a digit.",
  }),
  passwordRequireSymbol: key(bool(), {
    env: "USHER_PASSWORD_REQUIRE_SYMBOL",
    default: "false",
    doc: "Passwords must contain a character that is neither a letter nor a digit.",
  }),
  codeMaxAttempts: key(int(1), {
    env: "USHER_CODE_MAX_ATTEMPTS",
    default: "3",
    doc: "Failed checks after which a code is discarded.",
  }),
  throttleEnabled: key(bool(), {
    env: "USHER_THROTTLE_ENABLED",
    default: "true",
    doc: "Throttle code mails per user and kind, and per recipient address (429 with Retry-After).",
  }),
  throttleUserBurst: key(int(1), {
    env: "USHER_THROTTLE_USER_BURST",
    default: "3",
    doc: "Code mails of one kind a user may get in a burst.",
  }),
  throttleUserInterval: key(duration(1), {
    env: "USHER_THROTTLE_USER_INTERVAL",
    default: "1m",
    doc: "After the burst, one more code mail per user and kind per this interval.",
  }),
  throttleRecipientPerHour: key(int(1), {
    env: "USHER_THROTTLE_RECIPIENT_PER_HOUR",
    default: "10",
    doc: "Code mails one email address may receive per hour.",
  }),
  deliveryMaxAttempts: key(int(0), {
    env: "USHER_DELIVERY_MAX_ATTEMPTS",
    default: "0",
    doc: "Send attempts before a message is marked failed; 0: no limit, transient failures are retried until the delivery TTL runs out.",
  }),
  deliveryTtl: key(duration(0), {
    env: "USHER_DELIVERY_TTL",
    default: "24h",
    doc: "How long a message may wait for its provider (retries and outages included) before it is marked failed; never past its code's expiry.",
  }),
  deliveryPollInterval: key(duration(0), {
    env: "USHER_DELIVERY_POLL_INTERVAL",
    default: "1s",
    doc: "How often the delivery worker looks for due messages when not woken.",
  }),
  deliveryLease: key(duration(1_000), {
    env: "USHER_DELIVERY_LEASE",
    default: "10s",
    doc: "How long a claimed message stays reserved; renewed every third of it while it is being sent, so after a crash another process resends it within about this time.",
  }),
  deliveryBackoffBase: key(duration(1), {
    env: "USHER_DELIVERY_BACKOFF_BASE",
    default: "2s",
    doc: "Wait before the first retry of a transiently failed message; it doubles per attempt, jittered between half and all of it.",
  }),
  deliveryBackoffMax: key(duration(0), {
    env: "USHER_DELIVERY_BACKOFF_MAX",
    default: "10m",
    doc: "Cap of the retry schedule: the longest wait between two attempts of a message.",
  }),
  deliveryConcurrency: key(int(1), {
    env: "USHER_DELIVERY_CONCURRENCY",
    default: "32",
    doc: "Messages each process keeps in flight to the provider at once.",
  }),
  deliveryCircuitThreshold: key(int(1), {
    env: "USHER_DELIVERY_CIRCUIT_THRESHOLD",
    default: "5",
    doc: "Consecutive failures saying the provider is down (refused or timed-out connections, SMTP 421, webhook 5xx/408/429) after which a process pauses delivery and probes with one message.",
  }),
  deliveryCircuitProbe: key(duration(1), {
    env: "USHER_DELIVERY_CIRCUIT_PROBE",
    default: "1s",
    doc: "Wait before the first probe of an unavailable provider; it doubles per failed probe (jittered).",
  }),
  deliveryCircuitProbeMax: key(duration(0), {
    env: "USHER_DELIVERY_CIRCUIT_PROBE_MAX",
    default: "15s",
    doc: "Longest wait between two probes of an unavailable provider: delivery resumes at most this long after it answers again.",
  }),
  dbStatementTimeout: key(duration(0), {
    env: "USHER_DB_STATEMENT_TIMEOUT",
    default: "5s",
    doc: "Longest one database statement may run (PostgreSQL `statement_timeout`, set when a connection opens); a request cut by it answers DEADLINE_EXCEEDED (HTTP 504). Also the longest a request waits for a pooled connection (then UNAVAILABLE, 503). `0` turns both off.",
  }),
  listFilterMaxCount: key(int(1), {
    env: "USHER_LIST_FILTER_MAX_COUNT",
    default: "100",
    doc: "Most search queries one list call may carry, counting every query nested in and/or/not (more: INVALID_ARGUMENT). Nesting deeper than 20 levels is refused as in ZITADEL.",
  }),
  trustedProxies: key(addressList(), {
    env: "USHER_TRUSTED_PROXIES",
    default: "",
    doc: "Comma-separated addresses or CIDRs of reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client; per-address throttles then key on that client. Empty: forwarding headers are ignored and the peer address counts.",
  }),
  webhookAllowPrivate: key(bool(), {
    env: "USHER_WEBHOOK_ALLOW_PRIVATE",
    default: "false",
    doc: "Lets webhook subscriptions and Actions targets call loopback, private, link-local and metadata addresses (checked after DNS resolution on every call). Off in production; turn it on for local development.",
  }),
  webhookResponseLimit: key(int(0), {
    env: "USHER_WEBHOOK_RESPONSE_LIMIT",
    default: "4096",
    doc: "Bytes of a subscriber's answer Usher reads (and keeps with the attempt); the rest is dropped unread.",
  }),
  webhookConcurrency: key(int(0), {
    env: "USHER_WEBHOOK_CONCURRENCY",
    default: "64",
    doc: "Webhook and Actions target calls each process keeps in flight.",
  }),
} as const satisfies Record<string, KeySpec<unknown>>;

type ValueOf<S> = S extends KeySpec<infer T, infer O> ? (O extends true ? T | undefined : T) : never;

/** Configuration as read and checked, before the loader derives the defaults that depend on other keys. */
export type RawConfig = { -readonly [K in keyof typeof SCHEMA]: ValueOf<(typeof SCHEMA)[K]> };

export type ConfigKey = keyof RawConfig;

/** The keys with their specs, in table order. */
export const KEYS = Object.entries(SCHEMA) as [ConfigKey, KeySpec<unknown>][];

/**
 * Rules that tie keys together; each returns what is wrong, naming the keys and their
 * variables, or undefined.
 */
export const RELATIONS: readonly ((c: RawConfig) => string | undefined)[] = [
  (c) =>
    c.headersTimeout > c.requestTimeout
      ? "headersTimeout (USHER_HEADERS_TIMEOUT) must not exceed requestTimeout (USHER_REQUEST_TIMEOUT)"
      : undefined,
  (c) =>
    c.mailProvider === "smtp" && !c.smtpUrl
      ? "mailProvider smtp (USHER_MAIL_PROVIDER) needs smtpUrl (USHER_SMTP_URL)"
      : undefined,
  (c) =>
    c.mailProvider === "webhook" && !c.webhookUrl
      ? "mailProvider webhook (USHER_MAIL_PROVIDER) needs webhookUrl (USHER_WEBHOOK_URL)"
      : undefined,
];
