import type { CommandDeps } from "../../commands/deps.ts";
import { preparePassword } from "../../commands/password-change.ts";
import { acceptCode } from "../../commands/tenant-onboarding.ts";
import { passwordPolicyOf } from "../../domain/password-policy.ts";
import { secondsUntilToken } from "../../domain/token-bucket.ts";
import { throttleQueries } from "../../queries/throttle.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { SetInitialPassword, VerifyEmail } from "./schemas.ts";
import { TenantError, validation } from "./tenant-error.ts";

/** Per user: 10 tries, one more every 6 minutes; per client address: 30, one more every 2 minutes. */
const PER_USER = { burst: 10, perSecond: 1 / 360 };
const PER_ADDRESS = { burst: 30, perSecond: 1 / 120 };

const invalidCode = () => new TenantError(400, "invalid_code", "The code is invalid.");

/**
 * The end-user endpoints (no credential): a person proves a code from a mail. Throttled per
 * user and per client address; an unknown user answers exactly like a wrong code.
 */
export function authRoutes(deps: CommandDeps): TenantRoute[] {
  async function throttle(c: TenantCall, userId: string) {
    const q = throttleQueries(deps.db);
    const now = deps.now();
    for (const [key, rule] of [
      [`a:user:${c.tenantId}:${userId}`, PER_USER],
      [`a:addr:${c.clientAddress}`, PER_ADDRESS],
    ] as const) {
      if (!(await q.take(key, rule, now))) {
        const retry = secondsUntilToken(rule, 0);
        throw new TenantError(429, "rate_limited", "Too many attempts; try again later.", {
          retry_after_seconds: retry,
        });
      }
    }
  }
  return [
    {
      method: "POST",
      path: "/v1/auth/verify-email",
      operationId: "verifyEmail",
      summary: "Check an invite or email verification code and mark the email verified",
      tag: "End users",
      access: "public",
      body: VerifyEmail,
      responses: { 200: "MessageResult", 400: "Error" },
      async handler(c) {
        const b = c.body as { user_id: string; code: string };
        await throttle(c, b.user_id);
        if (
          !(await deps.db.transaction((tx) => acceptCode(tx, deps, c.tenantId, b.user_id, b.code, undefined)))
        )
          throw invalidCode();
        return { status: 200, body: { message: "Email verified." } };
      },
    },
    {
      method: "POST",
      path: "/v1/auth/set-initial-password",
      operationId: "setInitialPassword",
      summary: "Check the code and set the first password in one step",
      tag: "End users",
      access: "public",
      body: SetInitialPassword,
      responses: { 200: "MessageResult", 400: "Error" },
      async handler(c) {
        const b = c.body as { user_id: string; code: string; password: string };
        await throttle(c, b.user_id);
        const prepared = await preparePassword(
          { plain: b.password, changeRequired: false },
          passwordPolicyOf(deps.config),
        );
        if (prepared.policyError)
          throw validation([{ field: "body.password", message: prepared.policyError.text() }]);
        if (
          !(await deps.db.transaction((tx) => acceptCode(tx, deps, c.tenantId, b.user_id, b.code, prepared)))
        )
          throw invalidCode();
        return { status: 200, body: { message: "Password set." } };
      },
    },
  ];
}
