import type { Action } from "../authz/authorizer.ts";
import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import type { User } from "../domain/user.ts";
import type { Enqueued } from "../outbox/enqueue.ts";
import { codeQueries } from "../queries/codes.ts";
import type { NewEvent } from "../queries/events.ts";
import { outboxQueries } from "../queries/outbox.ts";
import { type UserPatch, userUpdates } from "../queries/user-updates.ts";
import { issueCode } from "./code-mail.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { CommandDeps } from "./deps.ts";

/** How a new or current address gets verified: a mailed code, a returned one, or a flag. */
export type EmailDelivery =
  | { kind: "send"; urlTemplate?: string | undefined }
  | { kind: "return" }
  | { kind: "verified" };

/**
 * The action a delivery needs (spec §6.1): mailing a code is allowed to the user itself;
 * returning the code or marking the address verified needs `user.write`.
 */
export function emailAction(delivery: EmailDelivery): Action {
  if (delivery.kind === "return") return "user.email.code.return";
  if (delivery.kind === "verified") return "user.email.verified.set";
  return "user.email.code.send";
}

/**
 * Issues an email verification code, replacing the previous one (`issueCode`): answers the
 * `email.code.added` event and, unless the code is returned to the caller, the VerifyEmail
 * message, for the command to append and queue.
 */
export async function addEmailCode(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  delivery: Exclude<EmailDelivery, { kind: "verified" }>,
): Promise<{ event: NewEvent; messages: Enqueued[]; code?: string }> {
  const urlTemplate = delivery.kind === "send" ? (delivery.urlTemplate ?? "") : "";
  const codeReturned = delivery.kind === "return";
  const issued = await issueCode(tx, deps, user, "email", "VerifyEmail", deps.config.emailCodeTtl, 6, {
    urlTemplate,
    applicationName: "",
    authRequestId: "",
    codeReturned,
  });
  const event = {
    type: "user.human.email.code.added",
    payload: {
      expiry: deps.config.emailCodeTtl * 1_000_000,
      url_template: urlTemplate,
      code_returned: codeReturned,
    },
  };
  const messages = issued.messages;
  return codeReturned ? { event, messages, code: issued.code } : { event, messages };
}

/**
 * Records an address as verified: ends the pending email code and, as ZITADEL's invite model
 * does on `email.verified`, the pending invite code.
 */
export async function markEmailVerified(tx: Queryable, user: User): Promise<NewEvent> {
  const codes = codeQueries(tx);
  await codes.consume(user.orgId, user.id, "email");
  await codes.consume(user.orgId, user.id, "invite");
  return { type: "user.human.email.verified" };
}

/**
 * The one rule for a new address, on every surface that changes one: `email.changed`, and
 * every outstanding code of the user is void — whatever its kind (invite, init, email, password
 * reset), it was sent to or returned for the old address, and whoever holds that mailbox must
 * not verify the new one or set a password with it — and its undelivered messages are
 * cancelled. The caller writes the new address, unverified (`UserPatch`), and the event.
 */
export async function changeAddress(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  email: string,
): Promise<NewEvent> {
  await codeQueries(tx).voidAll(user.orgId, user.id);
  await outboxQueries(tx).cancelForUser(user.orgId, user.id, deps.now(), "address changed");
  return { type: "user.human.email.changed", payload: { email } };
}

/**
 * Corrects the address a code is about to be sent to (the tenant API's resend-invite, v1
 * ResendHumanInitialization): the caller must hold every permission of the user
 * (`AUTHZ-Esc4lt`: the new address receives codes that set the password), then
 * `changeAddress`, and the new address is written, unverified. Answers the `email.changed` event
 * for the caller to append and the user at the new address, to send the code to.
 */
export async function correctAddress(
  tx: Queryable,
  deps: CommandDeps,
  caller: Caller,
  user: User,
  email: string,
): Promise<{ event: NewEvent; user: User }> {
  await requireCredentialOf(tx, deps, caller, user);
  const event = await changeAddress(tx, deps, user, email);
  await userUpdates(tx).apply(user.orgId, user.id, { email, emailVerified: false });
  return { event, user: { ...user, email, emailVerified: false } };
}

/**
 * Changes a user's address (`changeAddress`), then verifies it or issues a code to the new
 * address. Checks are the caller's job; it writes the patch, appends the events and queues the
 * messages.
 */
export async function changeEmail(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  email: string,
  delivery: EmailDelivery,
): Promise<{ events: NewEvent[]; patch: UserPatch; messages: Enqueued[]; code?: string }> {
  const changed: User = { ...user, email, emailVerified: false };
  const events: NewEvent[] = [await changeAddress(tx, deps, user, email)];
  if (delivery.kind === "verified") {
    events.push(await markEmailVerified(tx, changed));
    return { events, patch: { email, emailVerified: true }, messages: [] };
  }
  const added = await addEmailCode(tx, deps, changed, delivery);
  events.push(added.event);
  const patch = { email, emailVerified: false };
  const messages = added.messages;
  return added.code === undefined
    ? { events, patch, messages }
    : { events, patch, messages, code: added.code };
}
