#!/usr/bin/env node
// Runs Usher's TypeScript sources directly (tsx), so there is no build step to forget.
import v8 from "node:v8";
import { register } from "tsx/esm/api";

// Node 20's V8 (11.3) can die with "Fatal error … unreachable code" (SIGTRAP) under load when
// it inlines JS→Wasm calls into optimized code that later deoptimizes — the Cedar authorizer
// calls into Wasm on every decision. Turning that inlining off costs nothing measurable here.
// Set before any Wasm is loaded or any caller optimized.
v8.setFlagsFromString("--no-turbo-inline-js-wasm-calls");

register();
await import("../src/cli/main.ts");
