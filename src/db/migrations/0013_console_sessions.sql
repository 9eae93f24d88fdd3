-- Console sessions: a person signed in to the console holds a token of their own (human) user
-- in an HttpOnly cookie. It is a row of `tokens` like a personal access token — stored as its
-- SHA-256 only, resolved by the same authentication, cache and revocation triggers — marked so
-- that lists of personal access tokens leave it out. Its `expires_at` is the absolute end; the
-- idle end is `last_used_at` plus the configured idle timeout.
alter table tokens add column console boolean not null default false;
