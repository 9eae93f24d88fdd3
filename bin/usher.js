#!/usr/bin/env node
// Runs the JavaScript `npm ci` compiled into dist/ (bin/build.js) when it was compiled from the
// sources as they are now, else the TypeScript sources directly through tsx — so an edited
// checkout never runs stale code, and there is no build step to forget. Compiled, a process
// holds ~25–45 MB less (no compiler, no source maps in memory).
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { isBuildCurrent } from "./source-fingerprint.js";

// Node 20's V8 (11.3) can die with "Fatal error … unreachable code" (SIGTRAP) under load when
// it inlines JS→Wasm calls into optimized code that later deoptimizes — the Cedar authorizer
// calls into Wasm on every decision. Turning that inlining off costs nothing measurable here.
// Set before any Wasm is loaded or any caller optimized.
v8.setFlagsFromString("--no-turbo-inline-js-wasm-calls");
// V8 optimizes a Wasm function once it has run a while (its tiering budget). Cedar runs many
// functions a little — policy validation at start, each decision — and with the default budget
// the optimized copies of its Wasm hold ~70 MB per process; a budget 100× larger keeps all but
// the really hot ones on the baseline tier: ~70 MB less, decisions as fast (~170 µs evaluated),
// and argon2id (hash-wasm), which runs a few functions a great deal, still optimized.
// (bench/authz-cost.ts; --liftoff-only saved as much but made argon2id 2.3× slower.)
v8.setFlagsFromString("--wasm-tiering-budget=200000000");

if (isBuildCurrent(fileURLToPath(new URL("../", import.meta.url)))) {
  await import("../dist/cli/main.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
