#!/usr/bin/env node
// Compiles src/ to dist/ (JavaScript, no type check: `npm run typecheck` does that), copies
// the migrations, records the sources' fingerprint, and bundles the console (console/ → console/dist
// with Vite). bin/usher.js runs dist/ when it matches
// the sources and the TypeScript sources through tsx otherwise. Runs on `npm ci` (prepare).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sourceFingerprint } from "./source-fingerprint.js";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, "dist");
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
} catch {
  console.log("usher build: TypeScript is not installed (production install?); Usher runs from source.");
  process.exit(0);
}
buildConsole();
const fingerprint = sourceFingerprint(root);
rmSync(dist, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
if (result.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error("usher build failed; Usher runs from source until it succeeds.");
  // As part of `npm ci` a failed build must not fail the install: Usher still runs from source.
  process.exit(process.env.npm_lifecycle_event === "prepare" ? 0 : (result.status ?? 1));
}
const migrations = path.join(root, "src", "db", "migrations");
if (existsSync(migrations)) {
  mkdirSync(path.join(dist, "db", "migrations"), { recursive: true });
  cpSync(migrations, path.join(dist, "db", "migrations"), { recursive: true });
}
writeFileSync(path.join(dist, ".source-fingerprint"), fingerprint);

/** The console's bundle, from the project's own sources (nothing is fetched when Usher runs). */
function buildConsole() {
  let vite;
  try {
    vite = path.join(
      path.dirname(createRequire(import.meta.url).resolve("vite/package.json")),
      "bin",
      "vite.js",
    );
  } catch {
    console.log("usher build: Vite is not installed (production install?); the console is not built.");
    return;
  }
  const built = spawnSync(
    process.execPath,
    [vite, "build", "--config", path.join(root, "console", "vite.config.ts")],
    {
      stdio: "inherit",
    },
  );
  if (built.status !== 0) {
    console.error("usher build: the console's build failed; /ui/console says so until it succeeds.");
    if (process.env.npm_lifecycle_event !== "prepare") process.exit(built.status ?? 1);
  }
}
