-- Who a token belongs to and which roles it carries is cached per process (src/authz/
-- caller-cache.ts). Every committed write that could change that answer — a token revoked,
-- expired or removed, a membership added, changed or removed, a user's state changed or the
-- user removed — tells every process: NOTIFY usher_auth reaches the other processes at commit,
-- and a NOTICE reaches the process that wrote, before its statement returns.
create function usher_auth_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('usher_auth', '');
  raise notice using message = 'usher:changed:usher_auth';
  return null;
end
$$;

create trigger tokens_auth_changed
  after update of token_hash, org_id, user_id, expires_at, revoked_at or delete on tokens
  for each statement execute function usher_auth_changed();

create trigger members_auth_changed
  after insert or update or delete on members
  for each statement execute function usher_auth_changed();

create trigger users_state_auth_changed
  after update of state on users
  for each row when (old.state is distinct from new.state) execute function usher_auth_changed();

create trigger users_removed_auth_changed
  after delete on users
  for each statement execute function usher_auth_changed();
