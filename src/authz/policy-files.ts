import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";

/** The folder of Usher's schema and default policies (`policies/` at the project root). */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));

/** One policy with the facts Usher keeps about it. */
export interface LoadedPolicy {
  id: string;
  text: string;
  file: string;
  notice: string | undefined;
  /** The policy as Cedar's JSON syntax tree (what `decisionKeys` reads). */
  tree: unknown;
}

/** Reads every `*.cedar` file of a folder and splits it into policies with ids and notices. */
export function readPolicyDir(dir: string): LoadedPolicy[] {
  if (!existsSync(dir)) throw new Error(`policy folder ${dir} does not exist`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cedar"))
    .sort();
  return files.flatMap((f) => splitPolicies(path.join(dir, f)));
}

function splitPolicies(file: string): LoadedPolicy[] {
  const parts = cedar.policySetTextToParts(readFileSync(file, "utf8"));
  if (parts.type === "failure") throw new Error(`${file}: ${describe(parts.errors)}`);
  if (parts.policy_templates.length > 0) throw new Error(`${file}: policy templates are not supported`);
  return parts.policies.map((text, i) => {
    const json = cedar.policyToJson(text);
    if (json.type === "failure") throw new Error(`${file}: ${describe(json.errors)}`);
    const annotations = json.json.annotations ?? {};
    return {
      id: annotations.id ?? `${path.basename(file)}#${i + 1}`,
      text,
      file,
      notice: annotations.notice,
      tree: json.json,
    };
  });
}

/** Cedar's error list as one readable line. */
export function describe(errors: ReadonlyArray<{ message: string; help?: string | null }>): string {
  return errors.map((e) => (e.help ? `${e.message} (${e.help})` : e.message)).join("; ");
}
