-- Send throttling (token buckets) and Idempotency-Key records, shared by every process.

-- One token bucket per key: `u:<org>:<user>:<kind>` per user and code kind,
-- `r:<address>` per recipient address.
create table send_throttle (
  key text primary key,
  tokens double precision not null,
  updated_at timestamptz not null
);

-- A mutating call made with an Idempotency-Key: its fingerprint (method and request hash) and,
-- once finished, its response, replayed for 24 hours.
create table idempotency_keys (
  scope text not null,
  key text not null,
  fingerprint text not null,
  status text not null check (status in ('pending', 'done')),
  response text,
  created_at timestamptz not null,
  completed_at timestamptz,
  primary key (scope, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
