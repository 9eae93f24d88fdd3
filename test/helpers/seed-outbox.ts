import type { Db } from "../../src/db/types.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { type Keys, seal } from "../../src/domain/secrets.ts";
import { type Enqueued, enqueueMessages } from "../../src/outbox/enqueue.ts";

/** Queues `count` invite mails straight into the outbox (one transaction); returns their ids. */
export async function seedOutbox(db: Db, keys: Keys, count: number, orgId = "seed-org"): Promise<string[]> {
  const ids: string[] = [];
  const at = new Date();
  const batch: Enqueued[] = [];
  for (let i = 0; i < count; i++) {
    const id = uuidv7();
    ids.push(id);
    batch.push({
      id,
      at,
      message: {
        orgId,
        userId: `seed-user-${i}`,
        type: "InviteUser",
        codeKind: null,
        recipient: `seed-${i}@example.com`,
        payload: {
          userId: `seed-user-${i}`,
          orgId,
          username: `seed-${i}`,
          displayName: "Seed",
          givenName: "Seed",
          preferredLanguage: "en",
        },
        secret: seal(keys.outbox, "SEED01"),
        expiresAt: new Date(at.getTime() + 3_600_000),
      },
    });
  }
  await enqueueMessages(db, batch);
  return ids;
}
