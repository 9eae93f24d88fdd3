// Creates a migrated PGlite data folder that test apps copy (see test/run.js).
import { rmSync } from "node:fs";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: prepare-template.ts DIR");
rmSync(dir, { recursive: true, force: true });
const db = await openPglite(dir);
await migrate(db);
await db.close();
