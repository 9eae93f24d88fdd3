import type { ResentInvite } from "../../commands/tenant-onboarding.ts";
import type { TenantUserRow } from "../../queries/tenant-users.ts";
import type { InviteBody, UserBody } from "./schemas.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The invite part of a user: the live code's expiry and the newest invite mail's delivery. */
export function inviteView(r: TenantUserRow): InviteBody | null {
  if (r.invite_expires_at === null && r.delivery === null) return null;
  return {
    expires_at: r.invite_live ? iso(r.invite_expires_at) : null,
    last_sent_at: iso(r.last_sent_at),
    send_count: r.send_count ?? 0,
    delivery: r.delivery as InviteBody["delivery"],
    last_error: r.last_error,
  };
}

/** The invite a resend just issued: its mail is queued (the worker may be sending it already). */
export function resentInviteView(r: ResentInvite): InviteBody {
  return {
    expires_at: iso(r.expiresAt),
    last_sent_at: iso(r.lastSentAt),
    send_count: r.sendCount,
    delivery: "queued",
    last_error: null,
  };
}

/** A user as the tenant API shows it. */
export function userView(r: TenantUserRow): UserBody {
  const status =
    r.state === 2
      ? "disabled"
      : r.state === 4
        ? "locked"
        : !r.email_verified && !r.has_password
          ? "invited"
          : "active";
  return {
    id: r.id,
    email: r.email,
    name: r.display_name,
    locale: r.preferred_language === "und" ? "" : r.preferred_language,
    email_verified: r.email_verified,
    active: r.state !== 2,
    status,
    invite: inviteView(r),
    ...waiting(r, status),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

/**
 * What the person has yet to do, and since when: initialize the account (INITIAL), accept the
 * invite (no credential, email unverified; since the last invite mail), or verify the email
 * (signed up with a password, email unverified).
 */
function waiting(
  r: TenantUserRow,
  status: UserBody["status"],
): Pick<UserBody, "waiting_for" | "waiting_since"> {
  const since = r.created_at.toISOString();
  if (r.state === 6) return { waiting_for: "initialization", waiting_since: since };
  if (status === "invited") return { waiting_for: "invite", waiting_since: iso(r.last_sent_at) ?? since };
  if (r.state === 1 && !r.email_verified) return { waiting_for: "email_verification", waiting_since: since };
  return { waiting_for: null, waiting_since: null };
}
