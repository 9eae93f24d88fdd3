import type { Queryable } from "../db/types.ts";
import { uuidv7 } from "../domain/ids.ts";
import { newMachineUser } from "../domain/user.ts";
import { alreadyExists, failedPrecondition, invalidArgument } from "../errors/usher-error.ts";
import { appendEvents } from "../queries/events.ts";
import { machineUserQueries } from "../queries/machine-users.ts";
import { userQueries } from "../queries/users.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";

/** What v1 AddMachineUser asks for, in the context organization. */
export interface AddMachineInput {
  orgId: string;
  userId?: string | undefined;
  username: string;
  name: string;
  description: string;
  /** `zitadel.user.v1.AccessTokenType`: 0 bearer, 1 JWT; recorded, Usher issues opaque tokens. */
  accessTokenType: number;
}

/**
 * v1 AddMachineUser: a service account in the context organization, ACTIVE at once. Order as
 * ZITADEL's: name (`COMMAND-bs9Ds`) → username (`COMMAND-bm9Ds`) → `user.write` → the
 * organization exists → the id is free (`COMMAND-k2una`) → the username is free (`V3-DKcYh`).
 */
export async function addMachineUser(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  input: AddMachineInput,
): Promise<{ userId: string; details: WriteDetails }> {
  const name = input.name.trim();
  const username = input.username.trim();
  if (!name) throw invalidArgument("COMMAND-bs9Ds", "Errors.User.Invalid");
  if (!username) throw invalidArgument("COMMAND-bm9Ds", "Errors.User.Invalid");
  deps.authz.require(actor.caller, "user.write", { orgId: input.orgId }, "AUTH-5mWD2");
  const userId = input.userId?.trim() || uuidv7();
  const users = userQueries(tx);
  const check = await users.creationCheck(input.orgId, userId, username);
  if (!check.orgActive) throw failedPrecondition("COMMAND-QXPGs", "Errors.Org.NotFound");
  if (check.idTaken) throw failedPrecondition("COMMAND-k2una", "Errors.User.AlreadyExisting");
  if (check.usernameTaken) throw alreadyExists("V3-DKcYh", "Errors.User.AlreadyExists");
  const at = deps.now();
  const user = newMachineUser({ orgId: input.orgId, id: userId, username, name, sequence: 1, at });
  await users.insert(user);
  await machineUserQueries(tx).setProfile(user.orgId, userId, name, input.description);
  await appendEvents(
    tx,
    {
      orgId: user.orgId,
      aggregateType: "user",
      aggregateId: userId,
      lastSequence: 1,
      actor: actor.caller.userId,
      at,
    },
    [
      {
        type: "user.machine.added",
        payload: {
          userName: username,
          name,
          description: input.description,
          userLoginMustBeDomain: false,
          accessTokenType: input.accessTokenType,
        },
      },
    ],
  );
  return { userId, details: { sequence: 1, changeDate: at, resourceOwner: user.orgId } };
}
