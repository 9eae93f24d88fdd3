// The fingerprint of Usher's sources (every file under src/: path, size, mtime), written by
// bin/build.js beside the compiled JavaScript and compared by bin/usher.js before using it.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export function sourceFingerprint(root) {
  const hash = createHash("sha1");
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        const s = statSync(file);
        hash.update(`${path.relative(root, file)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(path.join(root, "src"));
  return hash.digest("hex");
}

/** Whether dist/ holds JavaScript compiled from the sources as they are now. */
export function isBuildCurrent(root) {
  try {
    return readFileSync(path.join(root, "dist", ".source-fingerprint"), "utf8") === sourceFingerprint(root);
  } catch {
    return false;
  }
}
