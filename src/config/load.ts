import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { type ConfigKey, KEYS, type KeySpec, type RawConfig, RELATIONS, SCHEMA } from "./schema.ts";

/** The validated, frozen configuration every part of Usher receives. */
export interface Config extends Omit<RawConfig, "externalUrl" | "firstInstancePatPath"> {
  externalUrl: string;
  firstInstancePatPath: string;
  /** Where the configuration came from, for the start-up log (never values of secrets). */
  sources: readonly string[];
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** A YAML file with the same keys (camelCase); `USHER_CONFIG` names one too. */
  file?: string | undefined;
  /** Values written as text that win over the environment, each with where it came from (CLI flags). */
  flags?: readonly { key: ConfigKey; text: string; source: string }[];
  /** Typed values that win over everything (tests, benchmarks); checked like the rest. */
  overrides?: Partial<RawConfig>;
}

/**
 * Loads defaults → YAML file → `USHER_*` environment → flags → overrides, each value parsed and
 * checked against its key in `SCHEMA`, then the rules between keys; freezes the result. Every
 * problem is reported at once, naming the key, where the value came from, the value (unless the
 * key is secret) and what was expected.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const values: Partial<Record<ConfigKey, unknown>> = {};
  const problems: string[] = [];
  const sources = ["defaults"];
  const set = (key: ConfigKey, spec: KeySpec<unknown>, text: string, source: string) => {
    const value = spec.kind.parse(text);
    if (value === undefined) problems.push(badValue(key, spec, source, JSON.stringify(text)));
    else values[key] = value;
  };

  for (const [key, spec] of KEYS) {
    if (spec.default !== undefined) set(key, spec, spec.default, "default");
  }
  const file = options.file ?? env.USHER_CONFIG;
  if (file) {
    for (const [key, text] of readFile(file, problems)) {
      if (key in SCHEMA) set(key as ConfigKey, SCHEMA[key as ConfigKey], text, file);
      else problems.push(`${file}: unknown key "${key}" (known: ${KEYS.map(([k]) => k).join(", ")})`);
    }
    sources.push(file);
  }
  for (const [key, spec] of KEYS) {
    const name = spec.env.find((n) => env[n] !== undefined && env[n] !== "");
    if (name === undefined) continue;
    set(key, spec, env[name] as string, name);
    sources.push(name);
  }
  for (const flag of options.flags ?? []) set(flag.key, SCHEMA[flag.key], flag.text, flag.source);
  for (const [key, value] of Object.entries(options.overrides ?? {}) as [ConfigKey, unknown][]) {
    const spec: KeySpec<unknown> = SCHEMA[key];
    // An undefined override leaves a required key as it was and unsets an optional one.
    if (value === undefined) {
      if (spec.optional) delete values[key];
    } else if (spec.kind.accepts(value)) values[key] = value;
    else problems.push(badValue(key, spec, "override", JSON.stringify(value)));
  }

  const raw = values as RawConfig;
  if (problems.length === 0) {
    for (const relation of RELATIONS) {
      const problem = relation(raw);
      if (problem !== undefined) problems.push(problem);
    }
  }
  if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join("; ")}`);
  return Object.freeze({
    ...raw,
    dataDir: path.resolve(raw.dataDir),
    externalUrl: (raw.externalUrl ?? `http://localhost:${raw.port}`).replace(/\/+$/, ""),
    firstInstancePatPath: path.resolve(raw.firstInstancePatPath ?? path.join(raw.dataDir, "admin.pat")),
    sources,
  });
}

/** `port (USHER_PORT): "eighty" is not a whole number from 0 to 65535`; a secret's value is not shown. */
function badValue(key: ConfigKey, spec: KeySpec<unknown>, source: string, shown: string): string {
  const value = spec.secret ? "the value (secret, not shown)" : shown;
  return `${key} (${source}): ${value} is not ${spec.kind.expected}`;
}

/** The file's keys with their values as text; problems with the file itself go to `problems`. */
function readFile(file: string, problems: string[]): [string, string][] {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`config file ${file}: ${(e as Error).message}`);
    return [];
  }
  if (doc === null || doc === undefined) return [];
  if (typeof doc !== "object" || Array.isArray(doc)) {
    problems.push(`config file ${file}: expected a mapping of keys`);
    return [];
  }
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (value !== null && typeof value === "object") problems.push(`${file}: ${key} must be a single value`);
    else entries.push([key, String(value)]);
  }
  return entries;
}
