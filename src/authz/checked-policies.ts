import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { DEFAULT_POLICY_DIR, describe, type LoadedPolicy, readPolicyDir } from "./policy-files.ts";

const ACTION = "Usher::Action";

/** Policies that passed every check, in a form that can be kept as JSON. */
export interface CheckedPolicies {
  policies: LoadedPolicy[];
  /** For each action, the action entities Cedar needs to evaluate `action in …`. */
  actions: Array<[string, cedar.EntityJson[]]>;
}

/**
 * The schema and the default policies plus the operator's (`policyDir`), split, validated against
 * the schema (strict) and with the actions' hierarchy worked out — or, when `cacheDir` holds the
 * result of that work for exactly these files and this Cedar version, that result. Checking costs
 * a few hundred milliseconds of Cedar's Wasm at every start; the files rarely change.
 */
export function loadCheckedPolicies(options: {
  policyDir?: string | undefined;
  cacheDir?: string | undefined;
}) {
  const dirs = [DEFAULT_POLICY_DIR, ...(options.policyDir ? [options.policyDir] : [])];
  if (!options.cacheDir) return checkPolicies(dirs);
  const file = path.join(options.cacheDir, "cedar", `${fingerprint(dirs)}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as CheckedPolicies;
  } catch {
    const checked = checkPolicies(dirs);
    keep(file, checked);
    return checked;
  }
}

/** Splits, de-duplicates and validates every policy; a broken one throws naming its file and id. */
export function checkPolicies(dirs: readonly string[]): CheckedPolicies {
  const schema = readFileSync(path.join(DEFAULT_POLICY_DIR, "schema.cedarschema"), "utf8");
  const policies = dirs.flatMap((d) => readPolicyDir(d));
  const byId = new Map<string, LoadedPolicy>();
  for (const p of policies) {
    const other = byId.get(p.id);
    if (other) throw new Error(`policy id "${p.id}" is used twice: ${other.file} and ${p.file}`);
    byId.set(p.id, p);
  }
  const validation = cedar.validate({
    schema,
    policies: { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) },
    validationSettings: { mode: "strict" },
  });
  if (validation.type === "failure") throw new Error(`policies: ${describe(validation.errors)}`);
  if (validation.validationErrors.length > 0) {
    const lines = validation.validationErrors.map((e) => {
      const p = byId.get(e.policyId);
      return `${p?.file ?? "?"} (policy "${e.policyId}"): ${describe([e.error])}`;
    });
    throw new Error(`policies do not match the schema:\n  ${lines.join("\n  ")}`);
  }
  return { policies, actions: [...actionHierarchy(schema)] };
}

/** What the check depends on: Cedar's version, the schema, and every policy file's name and text. */
function fingerprint(dirs: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(`${cedar.getCedarSDKVersion()}\0`);
  hash.update(readFileSync(path.join(DEFAULT_POLICY_DIR, "schema.cedarschema")));
  for (const dir of dirs) {
    if (!existsSync(dir)) continue; // checkPolicies names the missing folder
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith(".cedar"))
      .sort()) {
      hash.update(`\0${path.resolve(dir, f)}\0`);
      hash.update(readFileSync(path.join(dir, f)));
    }
  }
  return hash.digest("hex");
}

/** Writes the result (atomically, owner-only) and removes the results of earlier files. */
function keep(file: string, checked: CheckedPolicies): void {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const old of readdirSync(dir)) rmSync(path.join(dir, old), { force: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(checked), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // Only a saving for the next start: a read-only data folder checks every time.
  }
}

/**
 * For each action, the action and its groups as the schema declares them (`action "a" in ["b"]`).
 * Passing only these (not every action) keeps each decision cheap.
 */
function actionHierarchy(schema: string): Map<string, cedar.EntityJson[]> {
  const json = cedar.schemaToJson(schema);
  if (json.type === "failure") throw new Error(`schema: ${describe(json.errors)}`);
  const actions = json.json.Usher?.actions ?? {};
  const parentsOf = (id: string) => (actions[id]?.memberOf ?? []).map((m) => m.id);
  const result = new Map<string, cedar.EntityJson[]>();
  for (const id of Object.keys(actions)) {
    const chain: cedar.EntityJson[] = [];
    const seen = new Set<string>();
    const visit = (a: string) => {
      if (seen.has(a)) return;
      seen.add(a);
      chain.push({
        uid: { type: ACTION, id: a },
        attrs: {},
        parents: parentsOf(a).map((p) => ({ type: ACTION, id: p })),
      });
      for (const p of parentsOf(a)) visit(p);
    };
    visit(id);
    result.set(id, chain);
  }
  return result;
}
