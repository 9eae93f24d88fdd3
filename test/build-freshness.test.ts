import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
// @ts-expect-error plain JavaScript beside bin/usher.js, without type declarations
import { isBuildCurrent, sourceFingerprint } from "../bin/source-fingerprint.js";

// bin/usher.js runs dist/ only when it was compiled from the sources as they are now.
test("the compiled build is used only while the sources are unchanged", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "usher-build-"));
  try {
    mkdirSync(path.join(root, "src", "db"), { recursive: true });
    writeFileSync(path.join(root, "src", "app.ts"), "export const a = 1;\n");
    writeFileSync(path.join(root, "src", "db", "0001.sql"), "select 1;\n");
    assert.equal(isBuildCurrent(root), false, "never built");
    mkdirSync(path.join(root, "dist"));
    const record = () =>
      writeFileSync(path.join(root, "dist", ".source-fingerprint"), sourceFingerprint(root));
    record();
    assert.equal(isBuildCurrent(root), true);

    writeFileSync(path.join(root, "src", "app.ts"), "export const a = 2;\n");
    assert.equal(isBuildCurrent(root), false, "a source edited");
    record();
    writeFileSync(path.join(root, "src", "db", "0002.sql"), "select 2;\n");
    assert.equal(isBuildCurrent(root), false, "a file added");
    record();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, "src", "db", "0001.sql"), later, later);
    assert.equal(isBuildCurrent(root), false, "a file touched");
    record();
    rmSync(path.join(root, "src", "db", "0002.sql"));
    assert.equal(isBuildCurrent(root), false, "a file removed");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
