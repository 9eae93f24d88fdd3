import { parseDuration } from "./duration.ts";

type Kind = "string" | "int" | "duration" | "bool" | "secret";

/** One configuration key: its YAML name, its environment variable, default and meaning. */
export interface KeySpec {
  readonly key: keyof RawConfig;
  readonly env: readonly string[];
  readonly kind: Kind;
  readonly default: string | undefined;
  readonly doc: string;
}

/** Configuration as read, before derived defaults are filled in. */
export interface RawConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  externalUrl: string | undefined;
  firstInstancePatPath: string | undefined;
  masterKey: string | undefined;
  smtpUrl: string | undefined;
  mailProvider: string;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  webhookTimeout: number;
  mailRatePerSecond: number;
  defaultLanguage: string;
  mailFrom: string;
  applicationName: string;
  uiSuccessUrl: string | undefined;
  defaultOrgName: string;
  adminEmail: string;
  consoleIdleTimeout: number;
  consoleSessionTtl: number;
  logLevel: string;
  policyDir: string | undefined;
  inviteCodeLength: number;
  inviteCodeTtl: number;
  initCodeTtl: number;
  emailCodeTtl: number;
  passwordCodeTtl: number;
  codeMaxAttempts: number;
  passwordMinLength: number;
  passwordRequireLowercase: boolean;
  passwordRequireUppercase: boolean;
  passwordRequireNumber: boolean;
  passwordRequireSymbol: boolean;
  throttleEnabled: boolean;
  throttleUserBurst: number;
  throttleUserInterval: number;
  throttleRecipientPerHour: number;
  deliveryMaxAttempts: number;
  deliveryTtl: number;
  deliveryPollInterval: number;
  deliveryLease: number;
  deliveryBackoffBase: number;
  deliveryBackoffMax: number;
  deliveryConcurrency: number;
  deliveryCircuitThreshold: number;
  deliveryCircuitProbe: number;
  deliveryCircuitProbeMax: number;
  dbPoolSize: number;
  authCacheTtl: number;
  // Invite jobs: uploads of many people at once, applied in the background.
  inviteJobMaxBytes: number;
  inviteJobBatch: number;
  inviteJobConcurrency: number;
  inviteJobRetention: number;
  // Connection and request limits.
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  http2MaxStreams: number;
  // Bounded work and client addresses.
  dbStatementTimeout: number;
  listFilterMaxCount: number;
  trustedProxies: string;
  // Events out: webhook subscriptions and ZITADEL Actions targets.
  webhookAllowPrivate: boolean;
  webhookResponseLimit: number;
  webhookConcurrency: number;
}

/**
 * Every key Usher reads, in one table: the loader, `usher start --help` and the README's
 * configuration table all come from here.
 */
export const KEYS: readonly KeySpec[] = [
  {
    key: "port",
    env: ["USHER_PORT"],
    kind: "int",
    default: "8080",
    doc: "TCP port for every surface (HTTP/1.1 and h2c).",
  },
  { key: "host", env: ["USHER_HOST"], kind: "string", default: "0.0.0.0", doc: "Address to listen on." },
  {
    key: "dataDir",
    env: ["USHER_DATA_DIR"],
    kind: "string",
    default: "./.usher",
    doc: "Folder for the embedded PostgreSQL server (`pg/`), the admin token and the generated master key.",
  },
  {
    key: "databaseUrl",
    env: ["DATABASE_URL", "USHER_DATABASE_URL"],
    kind: "secret",
    default: undefined,
    doc: "PostgreSQL connection URL; when unset Usher runs its own PostgreSQL server in <data dir>/pg.",
  },
  {
    key: "dbPoolSize",
    env: ["USHER_DB_POOL_SIZE"],
    kind: "int",
    default: "10",
    doc: "Connections in the PostgreSQL pool (per process).",
  },
  {
    key: "authCacheTtl",
    env: ["USHER_AUTH_CACHE_TTL"],
    kind: "duration",
    default: "30s",
    doc: "Longest a process reuses a token's owner and roles without asking the database; revocations and role or user-state changes reach every process at once regardless. `0` turns it off.",
  },
  {
    key: "inviteJobMaxBytes",
    env: ["USHER_INVITE_JOB_MAX_BYTES"],
    kind: "int",
    default: "268435456",
    doc: "Largest file `POST /v1/invite-jobs` takes, in bytes (256 MiB: some 3 million rows); other tenant API bodies stay at 64 KiB. Checked after the credential, against the declared length and while reading.",
  },
  {
    key: "inviteJobBatch",
    env: ["USHER_INVITE_JOB_BATCH"],
    kind: "int",
    default: "250",
    doc: "Rows of an invite job applied per transaction.",
  },
  {
    key: "inviteJobConcurrency",
    env: ["USHER_INVITE_JOB_CONCURRENCY"],
    kind: "int",
    default: "4",
    doc: "Invite job batches each process applies at once (each holds a database connection); `0`: this process applies none.",
  },
  {
    key: "inviteJobRetention",
    env: ["USHER_INVITE_JOB_RETENTION"],
    kind: "duration",
    default: "30d",
    doc: "How long a finished invite job keeps its rows (each row's outcome and reason); then they are deleted and the job keeps only its totals (`rows_kept_until`).",
  },
  // Connection and request limits: every connection and request has a time limit, and the
  // listener caps how many connections it holds.
  {
    key: "headersTimeout",
    env: ["USHER_HEADERS_TIMEOUT"],
    kind: "duration",
    default: "10s",
    doc: "A new connection must send its first bytes, and each request its complete headers, within this; else the connection is closed (HTTP/1.1 answers 408).",
  },
  {
    key: "requestTimeout",
    env: ["USHER_REQUEST_TIMEOUT"],
    kind: "duration",
    default: "30s",
    doc: "A request's headers and body must have arrived within this from its start; else HTTP/1.1 answers 408 and closes, HTTP/2 resets the stream. Not less than the headers timeout.",
  },
  {
    key: "keepAliveTimeout",
    env: ["USHER_KEEP_ALIVE_TIMEOUT"],
    kind: "duration",
    default: "65s",
    doc: "An idle HTTP/1.1 keep-alive connection, or an HTTP/2 connection without open streams, is closed after this. Longer than the 60 s idle timeout of common load balancers, so they close first.",
  },
  {
    key: "maxConnections",
    env: ["USHER_MAX_CONNECTIONS"],
    kind: "int",
    default: "4096",
    doc: "Most connections the process holds open; more are answered 503 and closed. Lowered at start to fit the process's open-file limit.",
  },
  {
    key: "maxConnectionsPerAddress",
    env: ["USHER_MAX_CONNECTIONS_PER_ADDRESS"],
    kind: "int",
    default: "256",
    doc: "Most connections open at once from one client address; more are answered 503 and closed. Behind a reverse proxy every connection comes from the proxy: raise it to the proxy's pool size.",
  },
  {
    key: "http2MaxStreams",
    env: ["USHER_HTTP2_MAX_STREAMS"],
    kind: "int",
    default: "100",
    doc: "Most concurrent requests (streams) on one HTTP/2 connection.",
  },
  {
    key: "externalUrl",
    env: ["USHER_EXTERNAL_URL"],
    kind: "string",
    default: undefined,
    doc: "Public origin used in email links. Default `http://localhost:<port>`.",
  },
  {
    key: "firstInstancePatPath",
    env: ["USHER_FIRST_INSTANCE_PAT_PATH"],
    kind: "string",
    default: undefined,
    doc: "Where the first start writes the admin token (mode 0600). Default `<data dir>/admin.pat`.",
  },
  {
    key: "masterKey",
    env: ["USHER_MASTER_KEY"],
    kind: "secret",
    default: undefined,
    doc: "32-byte key (base64 or hex) for code hashes and encrypted outbox payloads. Default: generated once into `<data dir>/master.key`. Set it when processes run on several machines.",
  },
  {
    key: "smtpUrl",
    env: ["USHER_SMTP_URL"],
    kind: "secret",
    default: undefined,
    doc: "SMTP server, `smtp://user:pass@host:port` or `smtps://…`. When unset, mail goes to the dev mailbox (`/dev/mailbox`).",
  },
  {
    key: "mailProvider",
    env: ["USHER_MAIL_PROVIDER"],
    kind: "string",
    default: "auto",
    doc: "auto, smtp, webhook or mailbox. auto: SMTP when USHER_SMTP_URL is set, else the webhook when USHER_WEBHOOK_URL is set, else the dev mailbox — which NODE_ENV=production refuses.",
  },
  {
    key: "webhookUrl",
    env: ["USHER_WEBHOOK_URL"],
    kind: "secret",
    default: undefined,
    doc: "HTTP endpoint that receives each message as a JSON POST.",
  },
  {
    key: "webhookSecret",
    env: ["USHER_WEBHOOK_SECRET"],
    kind: "secret",
    default: undefined,
    doc: "Key for the webhook's `X-Usher-Signature` header (HMAC-SHA256 of `<t>.<body>`).",
  },
  {
    key: "webhookTimeout",
    env: ["USHER_WEBHOOK_TIMEOUT"],
    kind: "duration",
    default: "10s",
    doc: "How long a webhook call may take before it counts as failed (and is retried).",
  },
  {
    key: "mailRatePerSecond",
    env: ["USHER_MAIL_RATE"],
    kind: "int",
    default: "0",
    doc: "Most messages per second each process hands to the provider; 0 means no limit.",
  },
  {
    key: "defaultLanguage",
    env: ["USHER_DEFAULT_LANGUAGE"],
    kind: "string",
    default: "en",
    doc: "Language of messages for users whose preferred language is not bundled (en, de, fr, es).",
  },
  {
    key: "mailFrom",
    env: ["USHER_MAIL_FROM"],
    kind: "string",
    default: "Usher <no-reply@localhost>",
    doc: "From address of every message.",
  },
  {
    key: "applicationName",
    env: ["USHER_APPLICATION_NAME"],
    kind: "string",
    default: "Usher",
    doc: "Application name in invite mails when the call gives none.",
  },
  {
    key: "uiSuccessUrl",
    env: ["USHER_UI_SUCCESS_URL"],
    kind: "string",
    default: undefined,
    doc: "Where the hosted pages (`/ui/login/...`) send people (303) after success: an absolute http(s) URL. Default: none, a plain success page.",
  },
  {
    key: "defaultOrgName",
    env: ["USHER_DEFAULT_ORG_NAME"],
    kind: "string",
    default: "Usher",
    doc: "Name of the organization created on first start.",
  },
  {
    key: "adminEmail",
    env: ["USHER_ADMIN_EMAIL"],
    kind: "string",
    default: "admin@localhost",
    doc: "Email address of the first human admin (`IAM_OWNER`), created on first start in state INITIAL; the start prints, once, the link that sets its password.",
  },
  {
    key: "consoleIdleTimeout",
    env: ["USHER_CONSOLE_IDLE_TIMEOUT"],
    kind: "duration",
    default: "30m",
    doc: "A console session ends after this long without a request.",
  },
  {
    key: "consoleSessionTtl",
    env: ["USHER_CONSOLE_SESSION_TTL"],
    kind: "duration",
    default: "12h",
    doc: "A console session ends this long after sign-in, however active.",
  },
  {
    key: "logLevel",
    env: ["USHER_LOG_LEVEL"],
    kind: "string",
    default: "info",
    doc: "trace, debug, info, warn, error or silent.",
  },
  {
    key: "policyDir",
    env: ["USHER_POLICY_DIR"],
    kind: "string",
    default: undefined,
    doc: "Folder of operator Cedar policies (`*.cedar`) added to the defaults; validated at start.",
  },
  {
    key: "inviteCodeLength",
    env: ["USHER_INVITE_CODE_LENGTH"],
    kind: "int",
    default: "6",
    doc: "Characters in an invite code (A–Z, 0–9).",
  },
  {
    key: "inviteCodeTtl",
    env: ["USHER_INVITE_CODE_TTL"],
    kind: "duration",
    default: "72h",
    doc: "How long an invite code is valid.",
  },
  {
    key: "initCodeTtl",
    env: ["USHER_INIT_CODE_TTL"],
    kind: "duration",
    default: "72h",
    doc: "How long an initialization code (v1 AddHumanUser, ResendHumanInitialization) is valid.",
  },
  {
    key: "emailCodeTtl",
    env: ["USHER_EMAIL_CODE_TTL"],
    kind: "duration",
    default: "1h",
    doc: "How long an email verification code is valid.",
  },
  {
    key: "passwordCodeTtl",
    env: ["USHER_PASSWORD_CODE_TTL"],
    kind: "duration",
    default: "1h",
    doc: "How long a password reset code is valid.",
  },
  {
    key: "passwordMinLength",
    env: ["USHER_PASSWORD_MIN_LENGTH"],
    kind: "int",
    default: "8",
    doc: "Shortest password accepted (characters).",
  },
  {
    key: "passwordRequireLowercase",
    env: ["USHER_PASSWORD_REQUIRE_LOWERCASE"],
    kind: "bool",
    default: "false",
    doc: "Passwords must contain a lower-case letter.",
  },
  {
    key: "passwordRequireUppercase",
    env: ["USHER_PASSWORD_REQUIRE_UPPERCASE"],
    kind: "bool",
    default: "false",
    doc: "Passwords must contain an upper-case letter.",
  },
  {
    key: "passwordRequireNumber",
    env: ["USHER_PASSWORD_REQUIRE_NUMBER"],
    kind: "bool",
    default: "false",
    doc: "Passwords must contain a digit.",
  },
  {
    key: "passwordRequireSymbol",
    env: ["USHER_PASSWORD_REQUIRE_SYMBOL"],
    kind: "bool",
    default: "false",
    doc: "Passwords must contain a character that is neither a letter nor a digit.",
  },
  {
    key: "codeMaxAttempts",
    env: ["USHER_CODE_MAX_ATTEMPTS"],
    kind: "int",
    default: "3",
    doc: "Failed checks after which a code is discarded.",
  },
  {
    key: "throttleEnabled",
    env: ["USHER_THROTTLE_ENABLED"],
    kind: "bool",
    default: "true",
    doc: "Throttle code mails per user and kind, and per recipient address (429 with Retry-After).",
  },
  {
    key: "throttleUserBurst",
    env: ["USHER_THROTTLE_USER_BURST"],
    kind: "int",
    default: "3",
    doc: "Code mails of one kind a user may get in a burst.",
  },
  {
    key: "throttleUserInterval",
    env: ["USHER_THROTTLE_USER_INTERVAL"],
    kind: "duration",
    default: "1m",
    doc: "After the burst, one more code mail per user and kind per this interval.",
  },
  {
    key: "throttleRecipientPerHour",
    env: ["USHER_THROTTLE_RECIPIENT_PER_HOUR"],
    kind: "int",
    default: "10",
    doc: "Code mails one email address may receive per hour.",
  },
  {
    key: "deliveryMaxAttempts",
    env: ["USHER_DELIVERY_MAX_ATTEMPTS"],
    kind: "int",
    default: "0",
    doc: "Send attempts before a message is marked failed; 0: no limit, transient failures are retried until the delivery TTL runs out.",
  },
  {
    key: "deliveryTtl",
    env: ["USHER_DELIVERY_TTL"],
    kind: "duration",
    default: "24h",
    doc: "How long a message may wait for its provider (retries and outages included) before it is marked failed; never past its code's expiry.",
  },
  {
    key: "deliveryPollInterval",
    env: ["USHER_DELIVERY_POLL_INTERVAL"],
    kind: "duration",
    default: "1s",
    doc: "How often the delivery worker looks for due messages when not woken.",
  },
  {
    key: "deliveryLease",
    env: ["USHER_DELIVERY_LEASE"],
    kind: "duration",
    default: "10s",
    doc: "How long a claimed message stays reserved; renewed every third of it while it is being sent, so after a crash another process resends it within about this time.",
  },
  {
    key: "deliveryBackoffBase",
    env: ["USHER_DELIVERY_BACKOFF_BASE"],
    kind: "duration",
    default: "2s",
    doc: "Wait before the first retry of a transiently failed message; it doubles per attempt, jittered between half and all of it.",
  },
  {
    key: "deliveryBackoffMax",
    env: ["USHER_DELIVERY_BACKOFF_MAX"],
    kind: "duration",
    default: "10m",
    doc: "Cap of the retry schedule: the longest wait between two attempts of a message.",
  },
  {
    key: "deliveryConcurrency",
    env: ["USHER_DELIVERY_CONCURRENCY"],
    kind: "int",
    default: "32",
    doc: "Messages each process keeps in flight to the provider at once.",
  },
  {
    key: "deliveryCircuitThreshold",
    env: ["USHER_DELIVERY_CIRCUIT_THRESHOLD"],
    kind: "int",
    default: "5",
    doc: "Consecutive failures saying the provider is down (refused or timed-out connections, SMTP 421, webhook 5xx/408/429) after which a process pauses delivery and probes with one message.",
  },
  {
    key: "deliveryCircuitProbe",
    env: ["USHER_DELIVERY_CIRCUIT_PROBE"],
    kind: "duration",
    default: "1s",
    doc: "Wait before the first probe of an unavailable provider; it doubles per failed probe (jittered).",
  },
  {
    key: "deliveryCircuitProbeMax",
    env: ["USHER_DELIVERY_CIRCUIT_PROBE_MAX"],
    kind: "duration",
    default: "15s",
    doc: "Longest wait between two probes of an unavailable provider: delivery resumes at most this long after it answers again.",
  },
  // Bounded work and client addresses.
  {
    key: "dbStatementTimeout",
    env: ["USHER_DB_STATEMENT_TIMEOUT"],
    kind: "duration",
    default: "5s",
    doc: "Longest one database statement may run (PostgreSQL `statement_timeout`, set when a connection opens); a request cut by it answers DEADLINE_EXCEEDED (HTTP 504). Also the longest a request waits for a pooled connection (then UNAVAILABLE, 503). `0` turns both off.",
  },
  {
    key: "listFilterMaxCount",
    env: ["USHER_LIST_FILTER_MAX_COUNT"],
    kind: "int",
    default: "100",
    doc: "Most search queries one list call may carry, counting every query nested in and/or/not (more: INVALID_ARGUMENT). Nesting deeper than 20 levels is refused as in ZITADEL.",
  },
  {
    key: "trustedProxies",
    env: ["USHER_TRUSTED_PROXIES"],
    kind: "string",
    default: "",
    doc: "Comma-separated addresses or CIDRs of reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client; per-address throttles then key on that client. Empty: forwarding headers are ignored and the peer address counts.",
  },
  {
    key: "webhookAllowPrivate",
    env: ["USHER_WEBHOOK_ALLOW_PRIVATE"],
    kind: "bool",
    default: "false",
    doc: "Lets webhook subscriptions and Actions targets call loopback, private, link-local and metadata addresses (checked after DNS resolution on every call). Off in production; turn it on for local development.",
  },
  {
    key: "webhookResponseLimit",
    env: ["USHER_WEBHOOK_RESPONSE_LIMIT"],
    kind: "int",
    default: "4096",
    doc: "Bytes of a subscriber's answer Usher reads (and keeps with the attempt); the rest is dropped unread.",
  },
  {
    key: "webhookConcurrency",
    env: ["USHER_WEBHOOK_CONCURRENCY"],
    kind: "int",
    default: "64",
    doc: "Webhook and Actions target calls each process keeps in flight.",
  },
];

/** Converts one raw text value to the key's type, or throws a message naming the source. */
export function convert(spec: KeySpec, value: string, source: string): unknown {
  switch (spec.kind) {
    case "int": {
      if (!/^\d+$/.test(value.trim())) throw new Error(`${source}: "${value}" is not a whole number`);
      return Number(value);
    }
    case "duration":
      try {
        return parseDuration(value);
      } catch (e) {
        throw new Error(`${source}: ${(e as Error).message}`);
      }
    case "bool": {
      if (!/^(true|false|1|0)$/i.test(value)) throw new Error(`${source}: "${value}" is not true or false`);
      return /^(true|1)$/i.test(value);
    }
    default:
      return value;
  }
}
