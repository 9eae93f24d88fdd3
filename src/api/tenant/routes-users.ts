import type { Caller } from "../../authz/caller.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { createAndInvite, resendInvite } from "../../commands/tenant-onboarding.ts";
import { updateHumanUser } from "../../commands/update-human.ts";
import { changeUserState, deleteUser } from "../../commands/user-lifecycle.ts";
import { outboxQueries } from "../../queries/outbox.ts";
import { tenantUserQueries } from "../../queries/tenant-users.ts";
import { decodeCursor, encodeCursor, page } from "./cursor.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { CreateUser, ListUsersQuery, PageQuery, PatchUser, ResendInvite } from "./schemas.ts";
import { notFound, TenantError } from "./tenant-error.ts";
import { resentInviteView, userView } from "./user-view.ts";

const caller = (c: TenantCall) => c.caller as Caller;

/** `/v1/users`: the tenant's users, their invites and their messages. */
export function userRoutes(deps: CommandDeps): TenantRoute[] {
  const users = tenantUserQueries(deps.db);
  /** The user if it is the tenant's and the caller may read it; else 404 (never another tenant's). */
  async function readable(c: TenantCall) {
    const row = await users.get(c.tenantId, c.params.id ?? "");
    if (!row) throw notFound("User", { user_id: c.params.id });
    deps.authz.require(
      caller(c),
      "user.read",
      { orgId: c.tenantId, userId: row.id, email: row.email },
      "AUTH-AWfge",
    );
    return row;
  }
  return [
    {
      method: "POST",
      path: "/v1/users",
      operationId: "createUser",
      summary: "Create a user and, unless send_invite is false, invite them by email",
      tag: "Users",
      access: "credential",
      body: CreateUser,
      responses: { 201: "User", 409: "Error" },
      idempotent: true,
      async handler(c) {
        const b = c.body as {
          email: string;
          name?: string;
          locale?: string;
          send_invite?: boolean;
          invite_url_template?: string;
          application_name?: string;
        };
        const input = {
          email: b.email,
          name: b.name,
          locale: b.locale,
          sendInvite: b.send_invite ?? true,
          urlTemplate: b.invite_url_template,
          applicationName: b.application_name,
        };
        const id = await deps.db.transaction((tx) => createAndInvite(tx, deps, caller(c), c.tenantId, input));
        const row = await users.get(c.tenantId, id);
        if (!row) throw new Error("created user not found");
        return { status: 201, body: userView(row) };
      },
    },
    {
      method: "GET",
      path: "/v1/users",
      operationId: "listUsers",
      summary: "List the tenant's users, newest first",
      tag: "Users",
      access: "credential",
      query: ListUsersQuery,
      responses: { 200: "UserPage" },
      async handler(c) {
        deps.authz.require(caller(c), "user.read", { orgId: c.tenantId }, "AUTH-AWfge");
        const limit = (c.query.limit as number | undefined) ?? 50;
        const rows = await users.list(c.tenantId, {
          limit,
          after: decodeCursor(c.query.cursor),
          email: c.query.email as string | undefined,
          status: c.query.status as string | undefined,
          q: c.query.q as string | undefined,
        });
        return { status: 200, body: page(rows, limit, userView) };
      },
    },
    {
      method: "GET",
      path: "/v1/users/{id}",
      operationId: "getUser",
      summary: "One user",
      tag: "Users",
      access: "credential",
      responses: { 200: "User", 404: "Error" },
      handler: async (c) => ({ status: 200, body: userView(await readable(c)) }),
    },
    {
      method: "PATCH",
      path: "/v1/users/{id}",
      operationId: "updateUser",
      summary: "Change name or locale; active: false disables the user, true enables it again",
      tag: "Users",
      access: "credential",
      body: PatchUser,
      responses: { 200: "User", 404: "Error", 409: "Error" },
      idempotent: true,
      async handler(c) {
        const row = await users.get(c.tenantId, c.params.id ?? "");
        if (!row) throw notFound("User", { user_id: c.params.id });
        const b = c.body as { name?: string; locale?: string; active?: boolean };
        const actor = { caller: caller(c), orgId: c.tenantId };
        await deps.db.transaction(async (tx) => {
          if (b.name !== undefined || b.locale !== undefined) {
            const current = await tenantUserQueries(tx).get(c.tenantId, row.id);
            const given = await tx.query<{ given_name: string; family_name: string }>(
              "select given_name, family_name from users where org_id = $1 and id = $2",
              [c.tenantId, row.id],
            );
            await updateHumanUser(tx, deps, actor, row.id, {
              profile: {
                givenName: given[0]?.given_name ?? "",
                familyName: given[0]?.family_name ?? "",
                displayName: b.name ?? current?.display_name,
                preferredLanguage: b.locale,
              },
            });
          }
          if (b.active === false && row.state !== 2)
            await changeUserState(tx, deps, actor, row.id, "deactivate");
          if (b.active === true && row.state === 2)
            await changeUserState(tx, deps, actor, row.id, "reactivate");
        });
        return { status: 200, body: userView(await readable(c)) };
      },
    },
    {
      method: "DELETE",
      path: "/v1/users/{id}",
      operationId: "deleteUser",
      summary: "Delete the user and its codes; its queued messages are cancelled",
      tag: "Users",
      access: "credential",
      responses: { 204: null, 404: "Error" },
      idempotent: true,
      async handler(c) {
        const row = await users.get(c.tenantId, c.params.id ?? "");
        if (!row) throw notFound("User", { user_id: c.params.id });
        await deps.db.transaction((tx) =>
          deleteUser(tx, deps, { caller: caller(c), orgId: c.tenantId }, row.id),
        );
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/v1/users/{id}/resend-invite",
      operationId: "resendInvite",
      summary: "Issue a new invite code (the old one stops working) and email it; email corrects the address",
      tag: "Users",
      access: "credential",
      body: ResendInvite,
      responses: { 200: "ResendInviteResult", 404: "Error", 409: "Error", 429: "Error" },
      idempotent: true,
      async handler(c) {
        const id = c.params.id ?? "";
        const email = (c.body as { email?: string }).email;
        const resent = await deps.db.transaction((tx) =>
          resendInvite(tx, deps, caller(c), c.tenantId, id, email),
        );
        if (resent === "not_found") throw notFound("User", { user_id: id });
        if (resent === "already_verified") {
          throw new TenantError(409, "already_verified", "The user's email address is already verified.", {
            user_id: id,
          });
        }
        // Answered from the transaction: no second read of what it just wrote.
        return { status: 200, body: { message: "Invite resent.", invite: resentInviteView(resent) } };
      },
    },
    {
      method: "GET",
      path: "/v1/users/{id}/messages",
      operationId: "listUserMessages",
      summary: "The user's messages with their delivery state and attempts, newest first",
      tag: "Users",
      access: "credential",
      query: PageQuery,
      responses: { 200: "MessagePage", 404: "Error" },
      async handler(c) {
        const row = await readable(c);
        const limit = (c.query.limit as number | undefined) ?? 50;
        const after = decodeCursor(c.query.cursor);
        const all = await outboxQueries(deps.db).byUser(c.tenantId, row.id);
        const start = after
          ? all.findIndex(
              (m) => encodeCursor({ created_at: m.createdAt, id: m.id }) === String(c.query.cursor),
            ) + 1
          : 0;
        const rows = all.slice(start, start + limit + 1).map((m) => ({ ...m, created_at: m.createdAt }));
        return {
          status: 200,
          body: page(rows, limit, (m) => ({
            id: m.id,
            type: m.type,
            recipient: m.recipient,
            status: m.status,
            attempts: m.attempts,
            last_error: m.lastError,
            created_at: m.createdAt.toISOString(),
            updated_at: m.updatedAt.toISOString(),
            sent_at: m.sentAt ? m.sentAt.toISOString() : null,
          })),
        };
      },
    },
  ];
}
