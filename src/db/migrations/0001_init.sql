-- Usher's first schema. Every tenant-owned table leads with org_id so the data can later be
-- distributed by organization (DESIGN §9).

create table instance (
  id smallint primary key default 1 check (id = 1),
  default_org_id text not null,
  admin_user_id text not null,
  created_at timestamptz not null default now()
);

create table organizations (
  id text primary key,
  name text not null,
  primary_domain text not null,
  state smallint not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index organizations_domain on organizations (lower(primary_domain));

-- state: 1 active, 2 inactive, 4 locked, 6 initial (ZITADEL's internal numbers).
create table users (
  org_id text not null references organizations (id),
  id text not null,
  type text not null check (type in ('human', 'machine')),
  state smallint not null,
  username text not null,
  given_name text not null default '',
  family_name text not null default '',
  nick_name text not null default '',
  display_name text not null default '',
  preferred_language text not null default '',
  gender smallint not null default 0,
  email text not null default '',
  email_verified boolean not null default false,
  phone text not null default '',
  phone_verified boolean not null default false,
  password_hash text,
  password_change_required boolean not null default false,
  password_changed_at timestamptz,
  machine_name text not null default '',
  machine_description text not null default '',
  sequence integer not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (org_id, id)
);
create unique index users_id on users (id);
create unique index users_username on users (lower(username));

-- The latest code of each kind per user; a new code replaces the row (the old code is gone).
-- code_hash is an HMAC-SHA-256 of the code under the server key, never the code itself.
create table user_codes (
  org_id text not null,
  user_id text not null,
  kind text not null check (kind in ('invite', 'email', 'init', 'password')),
  code_hash text,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  failed_attempts integer not null default 0,
  code_returned boolean not null default false,
  url_template text not null default '',
  application_name text not null default '',
  auth_request_id text not null default '',
  primary key (org_id, user_id, kind),
  foreign key (org_id, user_id) references users (org_id, id) on delete cascade
);

-- Append-only audit log with ZITADEL's event type names; sequence is per aggregate.
create table events (
  org_id text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  sequence integer not null,
  type text not null,
  payload jsonb not null default '{}',
  actor text not null default '',
  created_at timestamptz not null default now(),
  primary key (org_id, aggregate_id, sequence)
);
create index events_type_time on events (type, created_at);

-- Messages to deliver. secret holds the encrypted code until the message is sent, then null.
create table outbox (
  id text primary key,
  org_id text not null,
  user_id text not null,
  message_type text not null,
  code_kind text,
  recipient text not null,
  status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'superseded', 'cancelled')),
  payload jsonb not null,
  secret text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  expires_at timestamptz not null
);
create index outbox_due on outbox (next_attempt_at) where status = 'queued';
create index outbox_leased on outbox (locked_until) where status = 'sending';
create index outbox_user on outbox (org_id, user_id, created_at);

-- The dev mailbox: what the mailbox sender "delivered", for developers to read.
create table mailbox (
  id text primary key,
  outbox_id text not null,
  org_id text not null,
  recipient text not null,
  subject text not null,
  text_body text not null,
  html_body text not null,
  created_at timestamptz not null default now()
);
create index mailbox_time on mailbox (created_at desc);

-- Personal access tokens, stored as SHA-256 of the token.
create table tokens (
  id text primary key,
  org_id text not null,
  user_id text not null,
  token_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  foreign key (org_id, user_id) references users (org_id, id) on delete cascade
);
create unique index tokens_hash on tokens (token_hash);

-- Role memberships: org_id '' is the instance (IAM_* roles).
create table members (
  org_id text not null,
  user_id text not null,
  roles text[] not null,
  created_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
create index members_user on members (user_id);
