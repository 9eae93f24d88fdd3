import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db/types.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hashToken, newToken } from "../domain/tokens.ts";
import { newMachineUser } from "../domain/user.ts";
import { appendEvents } from "../queries/events.ts";
import { INSTANCE_SCOPE, putMember } from "../queries/members.ts";
import { orgQueries } from "../queries/orgs.ts";
import { tokenQueries } from "../queries/tokens.ts";
import { userQueries } from "../queries/users.ts";
import { createFirstAdmin, type FirstAdmin } from "./first-admin.ts";

export interface BootstrapResult {
  created: boolean;
  defaultOrgId: string;
  adminUserId: string;
  /** The first human admin, on the first start only (its link is shown once). */
  firstAdmin?: FirstAdmin;
}

/** Any fixed number: serialises first starts of several processes on one PostgreSQL. */
const LOCK_KEY = 7_305_119;

/**
 * On the first start: the default organization, an admin service user with `IAM_OWNER`, a
 * personal access token written to `patPath` (mode 0600), and the first human admin
 * (`firstAdmin.email`) waiting to set a password. Later starts find the instance and change
 * nothing.
 */
export async function bootstrapInstance(
  db: Db,
  options: {
    orgName: string;
    domainSuffix: string;
    patPath: string;
    now: Date;
    firstAdmin: { email: string; codeHmac: Buffer; initCodeTtl: number; externalUrl: string };
  },
): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock($1)", [LOCK_KEY]);
    const existing = await tx.query<{ default_org_id: string; admin_user_id: string }>(
      "select default_org_id, admin_user_id from instance",
    );
    const row = existing[0];
    if (row) return { created: false, defaultOrgId: row.default_org_id, adminUserId: row.admin_user_id };

    const at = options.now;
    const orgId = uuidv7(at.getTime());
    const slug =
      options.orgName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || "org";
    await orgQueries(tx).insert(
      { id: orgId, name: options.orgName, primaryDomain: `${slug}.${options.domainSuffix}` },
      at,
    );
    await appendEvents(
      tx,
      { orgId, aggregateType: "org", aggregateId: orgId, lastSequence: 1, actor: "usher-setup", at },
      [{ type: "org.added", payload: { name: options.orgName } }],
    );

    const adminId = uuidv7(at.getTime());
    await userQueries(tx).insert(
      newMachineUser({ orgId, id: adminId, username: "usher-admin", name: "Usher admin", sequence: 2, at }),
    );
    await putMember(tx, INSTANCE_SCOPE, adminId, ["IAM_OWNER"]);
    const token = newToken();
    await tokenQueries(tx).insert({
      id: uuidv7(at.getTime()),
      orgId,
      userId: adminId,
      tokenHash: hashToken(token),
      expiresAt: null,
      at,
    });
    await appendEvents(
      tx,
      { orgId, aggregateType: "user", aggregateId: adminId, lastSequence: 2, actor: "usher-setup", at },
      [
        { type: "user.machine.added", payload: { userName: "usher-admin", name: "Usher admin" } },
        { type: "user.personal.access.token.added", payload: {} },
      ],
    );
    await tx.query("insert into instance (default_org_id, admin_user_id, created_at) values ($1, $2, $3)", [
      orgId,
      adminId,
      at,
    ]);
    const firstAdmin = await createFirstAdmin(tx, { ...options.firstAdmin, orgId, at });
    // Written inside the transaction: if the file cannot be written, nothing is created.
    mkdirSync(path.dirname(options.patPath), { recursive: true });
    writeFileSync(options.patPath, `${token}\n`, { mode: 0o600 });
    return { created: true, defaultOrgId: orgId, adminUserId: adminId, firstAdmin };
  });
}
