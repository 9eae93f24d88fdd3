-- Organizations, memberships and personal access tokens as first-class, audited state.

-- Per-aggregate event sequences of organizations (org.added, org.domain.*, org.member.*).
-- Every organization row exists because of its org.added event, sequence 1; existing rows catch
-- up with the events already written for them.
alter table organizations add column sequence integer not null default 1;
update organizations o
   set sequence = greatest(1, coalesce(
     (select max(e.sequence) from events e where e.org_id = o.id and e.aggregate_id = o.id), 1));
-- ZITADEL's unique constraint on organization names (case-insensitive, as its newer versions).
create unique index organizations_name on organizations (lower(name));

-- The instance as an aggregate of its own (instance.member.* events).
alter table instance add column instance_id text not null default gen_random_uuid()::text;
alter table instance add column sequence integer not null default 0;

-- A membership's details: the sequence of its organization's (or the instance's) last member
-- event, and when it changed.
alter table members add column sequence integer not null default 0;
alter table members add column updated_at timestamptz not null default now();

-- Personal access tokens: their scopes and the owner's sequence of the token.added event.
alter table tokens add column scopes text[] not null default '{}';
alter table tokens add column sequence integer not null default 0;
create index tokens_user on tokens (org_id, user_id, created_at);
