-- Tenant API keys: a service account of the tenant with the key's roles and one token.

create table api_keys (
  org_id text not null,
  id text not null,
  user_id text not null,
  token_id text not null,
  name text not null,
  roles text[] not null,
  created_at timestamptz not null,
  primary key (org_id, id),
  foreign key (org_id, user_id) references users (org_id, id) on delete cascade
);
create index api_keys_created on api_keys (org_id, created_at desc, id desc);

-- When a token was last used (updated at most once a minute).
alter table tokens add column last_used_at timestamptz;
