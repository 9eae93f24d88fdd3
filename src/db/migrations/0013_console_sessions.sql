-- Console sessions: a person signed in to the console holds a token of their own (human) user
-- in an HttpOnly cookie. It is a row of `tokens` like a personal access token — stored as its
-- SHA-256 only, resolved by the same authentication, cache and revocation triggers — marked so
-- that lists of personal access tokens leave it out. Its `expires_at` is the absolute end; the
-- idle end is `last_used_at` plus the configured idle timeout.
alter table tokens add column console boolean not null default false;

-- The console's users page filters an organization's users by state, newest first, a page at a
-- time. Most users are active, so that filter finds a page at once in users_org_created; the
-- states a person looks for when someone is stuck are rare, and without these a page of them
-- would read every user of the organization. The predicates are the tenant API's status filters
-- (queries/tenant-users.ts), word for word, so the planner can use them.
create index users_org_invited on users (org_id, created_at, id)
  where type = 'human' and state in (1, 6) and not email_verified and password_hash is null;
create index users_org_locked on users (org_id, created_at, id) where type = 'human' and state = 4;
create index users_org_disabled on users (org_id, created_at, id) where type = 'human' and state = 2;

-- The deliveries page lists an organization's failed messages, newest first; they are rare.
create index outbox_org_failed on outbox (org_id, created_at, id) where status = 'failed';

-- The users page's search matches the start of the display name, family name, email or username
-- (any case); with these (and users_org_email_lower, users_username_pattern) each is an index
-- range, so a search stays fast over any number of users.
create index users_org_display_lower on users (org_id, lower(display_name) text_pattern_ops);
create index users_org_family_lower on users (org_id, lower(family_name) text_pattern_ops);

-- The users page's filters for people waiting for initialization, and for active people whose
-- email is not verified (tenant API status `initial`, `unverified`).
create index users_org_initial on users (org_id, created_at, id) where type = 'human' and state = 6;
create index users_org_unverified on users (org_id, created_at, id)
  where type = 'human' and state = 1 and not email_verified and password_hash is not null;
