-- Invite jobs: a file of people invited in the background, row by row, by any Usher process.
-- A row is applied in the same transaction that creates its user and queues its invite, so
-- each row takes effect exactly once, keyed by (job_id, row_no), whatever process dies when.

-- status: receiving (the upload is still being stored; no row is claimed), queued, running,
-- done, cancelled, failed (stopped for a reason in `error`).
create table invite_jobs (
  org_id text not null,
  id text not null,
  created_by text not null,
  -- The credential that started the job: each batch runs with its rights, and stops if it is revoked.
  token_id text not null,
  status text not null check (status in ('receiving', 'queued', 'running', 'done', 'cancelled', 'failed')),
  format text not null check (format in ('csv', 'jsonl')),
  send_invite boolean not null,
  application_name text not null default '',
  url_template text not null default '',
  on_existing text not null check (on_existing in ('skip', 'resend', 'fail')),
  dry_run boolean not null,
  rows_read integer not null default 0,
  rows_done integer not null default 0,
  created integer not null default 0,
  invited integer not null default 0,
  skipped integer not null default 0,
  failed integer not null default 0,
  -- dry run: rows that would be applied.
  valid integer not null default 0,
  error text,
  created_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null,
  primary key (org_id, id)
);
create unique index invite_jobs_id on invite_jobs (id);
create index invite_jobs_active on invite_jobs (created_at) where status in ('queued', 'running');

-- One row of a job's file as uploaded. email_key (the address trimmed and lower-cased) finds
-- duplicates within the file: a row whose key an earlier row has is a duplicate.
-- status: pending, created, invited (an existing user's invite resent), skipped, failed, valid
-- (dry run: would be applied).
create table invite_job_rows (
  org_id text not null,
  job_id text not null,
  row_no integer not null,
  email text not null default '',
  email_key text not null default '',
  name text,
  given_name text,
  family_name text,
  locale text,
  username text,
  -- A problem found while reading the file (e.g. a line that is not JSON); the row fails with it.
  problem text,
  status text not null default 'pending'
    check (status in ('pending', 'created', 'invited', 'skipped', 'failed', 'valid')),
  reason text,
  message text,
  notices text[],
  user_id text,
  processed_at timestamptz,
  primary key (job_id, row_no),
  foreign key (org_id, job_id) references invite_jobs (org_id, id) on delete cascade
);
create index invite_job_rows_key on invite_job_rows (job_id, email_key, row_no);
create index invite_job_rows_status on invite_job_rows (job_id, status, row_no);
