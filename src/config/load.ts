import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { convert, KEYS, type RawConfig } from "./schema.ts";
import { parseTrustedProxies } from "./trusted-proxies.ts";

/** The validated, frozen configuration every part of Usher receives. */
export interface Config extends RawConfig {
  externalUrl: string;
  firstInstancePatPath: string;
  /** Where the configuration came from, for the start-up log (never values of secrets). */
  sources: readonly string[];
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** A YAML file with the same keys (camelCase); `USHER_CONFIG` names one too. */
  file?: string | undefined;
  /** Values that win over everything (tests, CLI flags). */
  overrides?: Partial<RawConfig>;
}

/** Loads defaults → YAML file → `USHER_*` environment → overrides, validates, freezes. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const values: Record<string, unknown> = {};
  const sources = ["defaults"];
  for (const spec of KEYS) {
    if (spec.default !== undefined) values[spec.key] = convert(spec, spec.default, `default of ${spec.key}`);
  }
  const file = options.file ?? env.USHER_CONFIG;
  if (file) {
    applyFile(values, file);
    sources.push(file);
  }
  for (const spec of KEYS) {
    const name = spec.env.find((n) => env[n] !== undefined && env[n] !== "");
    if (name) {
      values[spec.key] = convert(spec, env[name] as string, name);
      sources.push(name);
    }
  }
  Object.assign(values, options.overrides);
  const raw = values as unknown as RawConfig;
  validate(raw);
  return Object.freeze({
    ...raw,
    dataDir: path.resolve(raw.dataDir),
    externalUrl: (raw.externalUrl ?? `http://localhost:${raw.port}`).replace(/\/+$/, ""),
    firstInstancePatPath: path.resolve(raw.firstInstancePatPath ?? path.join(raw.dataDir, "admin.pat")),
    sources,
  });
}

function applyFile(values: Record<string, unknown>, file: string): void {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`config file ${file}: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return;
  if (typeof doc !== "object" || Array.isArray(doc))
    throw new Error(`config file ${file}: expected a mapping of keys`);
  for (const [key, value] of Object.entries(doc)) {
    const spec = KEYS.find((k) => k.key === key);
    if (!spec)
      throw new Error(
        `config file ${file}: unknown key "${key}" (known: ${KEYS.map((k) => k.key).join(", ")})`,
      );
    values[key] = convert(spec, String(value), `${file}: ${key}`);
  }
}

function validate(c: RawConfig): void {
  const problems: string[] = [];
  if (c.port < 0 || c.port > 65535) problems.push(`port ${c.port} is out of range`);
  if (c.inviteCodeLength < 4 || c.inviteCodeLength > 20) problems.push("inviteCodeLength must be 4–20");
  if (c.codeMaxAttempts < 1) problems.push("codeMaxAttempts must be at least 1");
  if (c.throttleUserBurst < 1 || c.throttleRecipientPerHour < 1)
    problems.push("throttle limits must be at least 1");
  if (c.throttleUserInterval < 1) problems.push("throttleUserInterval must be positive");
  if (c.deliveryConcurrency < 1) problems.push("deliveryConcurrency must be at least 1");
  if (c.deliveryCircuitThreshold < 1) problems.push("deliveryCircuitThreshold must be at least 1");
  if (c.deliveryLease < 1_000) problems.push("deliveryLease must be at least 1s");
  if (c.deliveryBackoffBase < 1 || c.deliveryCircuitProbe < 1)
    problems.push("delivery waits must be positive");
  if (c.dbPoolSize < 1) problems.push("dbPoolSize must be at least 1");
  if (c.headersTimeout < 1 || c.requestTimeout < 1 || c.keepAliveTimeout < 1)
    problems.push("headersTimeout, requestTimeout and keepAliveTimeout must be positive");
  if (c.headersTimeout > c.requestTimeout) problems.push("headersTimeout must not exceed requestTimeout");
  if (c.maxConnections < 1 || c.maxConnectionsPerAddress < 1 || c.http2MaxStreams < 1)
    problems.push("maxConnections, maxConnectionsPerAddress and http2MaxStreams must be at least 1");
  if (c.listFilterMaxCount < 1) problems.push("listFilterMaxCount must be at least 1");
  try {
    parseTrustedProxies(c.trustedProxies);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (!["auto", "smtp", "webhook", "mailbox"].includes(c.mailProvider)) {
    problems.push(`mailProvider "${c.mailProvider}" is not one of auto, smtp, webhook, mailbox`);
  }
  if (c.mailProvider === "smtp" && !c.smtpUrl) problems.push("mailProvider smtp needs USHER_SMTP_URL");
  if (c.mailProvider === "webhook" && !c.webhookUrl)
    problems.push("mailProvider webhook needs USHER_WEBHOOK_URL");
  if (!["trace", "debug", "info", "warn", "error", "fatal", "silent"].includes(c.logLevel)) {
    problems.push(`logLevel "${c.logLevel}" is not one of trace, debug, info, warn, error, silent`);
  }
  for (const [name, url, schemes] of [
    ["databaseUrl", c.databaseUrl, ["postgres:", "postgresql:"]],
    ["smtpUrl", c.smtpUrl, ["smtp:", "smtps:"]],
    ["externalUrl", c.externalUrl, ["http:", "https:"]],
    ["webhookUrl", c.webhookUrl, ["http:", "https:"]],
    ["uiSuccessUrl", c.uiSuccessUrl, ["http:", "https:"]],
  ] as const) {
    if (url === undefined) continue;
    try {
      const parsed = new URL(url);
      if (!(schemes as readonly string[]).includes(parsed.protocol))
        problems.push(`${name} must start with ${schemes.join(" or ")}`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join("; ")}`);
}
