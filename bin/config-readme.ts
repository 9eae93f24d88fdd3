// Rewrites the configuration table in README.md from src/config/schema.ts
// (`npm run config:readme`); src/config/readme.test.ts fails while they differ.
import { readFileSync, writeFileSync } from "node:fs";
import { withConfigTable } from "../src/config/render.ts";

const file = new URL("../README.md", import.meta.url);
const before = readFileSync(file, "utf8");
const after = withConfigTable(before);
if (after === before) console.log("README.md: configuration table is current");
else {
  writeFileSync(file, after);
  console.log("README.md: configuration table rewritten");
}
