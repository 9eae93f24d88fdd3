-- Events out: a feed position on every event, webhook subscriptions (tenant webhooks and ZITADEL
-- Actions targets), Actions executions, and the deliveries with every attempt.

-- The feed's position: the writing transaction's id, then the order within it. A reader hands out
-- only events of transactions older than the oldest one still running (pg_snapshot_xmin), so an
-- event committed later by another process can never sort before a cursor already handed out.
create sequence events_position;
alter table events add column position bigint;
with ordered as (
  select org_id, aggregate_id, sequence,
         row_number() over (order by created_at, org_id, aggregate_id, sequence) as n
    from events)
update events e set position = o.n
  from ordered o
 where e.org_id = o.org_id and e.aggregate_id = o.aggregate_id and e.sequence = o.sequence;
select setval('events_position', greatest((select max(position) from events), 1));
alter table events alter column position set default nextval('events_position');
alter table events alter column position set not null;
alter table events add column tx_id xid8 not null default pg_current_xact_id();
create index events_feed on events (org_id, tx_id, position);

-- A subscriber: a tenant's Standard Webhooks endpoint (org_id set, kind 'standard') or an
-- instance-wide ZITADEL Actions v2 target (org_id null, kind 'zitadel'). Secrets are sealed
-- (AES-256-GCM under a key derived from the master key); during a rotation the previous secret
-- signs too until previous_until.
create table webhooks (
  id text primary key,
  org_id text,
  kind text not null check (kind in ('standard', 'zitadel')),
  name text not null default '',
  url text not null,
  description text not null default '',
  event_types text[] not null default '{}',
  status text not null check (status in ('active', 'paused')),
  paused_reason text,
  secret text not null,
  previous_secret text,
  previous_until timestamptz,
  timeout_ms integer not null,
  target_type text not null default '' check (target_type in ('', 'rest_webhook', 'rest_call', 'rest_async')),
  interrupt_on_error boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index webhooks_org on webhooks (org_id, created_at, id);

-- ZITADEL Actions v2 executions with event conditions: `event:<type>`, `group:<prefix>` or `all`.
create table action_executions (
  condition text primary key,
  targets text[] not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- One event to one subscriber. seq orders a subscriber's deliveries of one aggregate (the
-- user's lock serialises the writers, so seq follows the user's event sequence).
create table webhook_deliveries (
  id text primary key default gen_random_uuid()::text,
  seq bigint generated always as identity,
  webhook_id text not null references webhooks (id) on delete cascade,
  org_id text not null,
  aggregate_id text not null,
  event_sequence integer not null,
  event_type text not null,
  status text not null check (status in ('queued', 'sending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  locked_until timestamptz,
  last_status integer,
  last_error text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  delivered_at timestamptz,
  expires_at timestamptz not null
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at, seq) where status = 'queued';
create index webhook_deliveries_waiting on webhook_deliveries (webhook_id) where status = 'queued';
create index webhook_deliveries_leased on webhook_deliveries (locked_until) where status = 'sending';
create index webhook_deliveries_order on webhook_deliveries (webhook_id, aggregate_id, seq)
  where status in ('queued', 'sending');
create index webhook_deliveries_list on webhook_deliveries (webhook_id, created_at desc, id desc);

-- Every attempt of a delivery: the HTTP answer (or the error) and how long it took.
create table webhook_attempts (
  delivery_id text not null references webhook_deliveries (id) on delete cascade,
  attempt integer not null,
  at timestamptz not null,
  status_code integer,
  duration_ms integer not null,
  error text,
  primary key (delivery_id, attempt)
);

-- Fan-out in the writing transaction: every event becomes a delivery to each active or paused
-- subscriber that wants it, so no command needs to know about webhooks and no event can be
-- written without its deliveries. A paused subscriber's deliveries wait with next_attempt_at
-- 'infinity' (the claim then needs no join) and are made due when it is resumed.
create function usher_fan_out_event() returns trigger language plpgsql as $$
begin
  insert into webhook_deliveries (webhook_id, org_id, aggregate_id, event_sequence, event_type, status,
    next_attempt_at, created_at, updated_at, expires_at)
  select w.id, new.org_id, new.aggregate_id, new.sequence, new.type, 'queued',
         case when w.status = 'active' then now() else 'infinity' end, now(), now(), now() + interval '24 hours'
    from webhooks w
   where w.kind = 'standard' and w.org_id = new.org_id and new.type = any (w.event_types)
  union
  select w.id, new.org_id, new.aggregate_id, new.sequence, new.type, 'queued',
         case when w.status = 'active' then now() else 'infinity' end, now(), now(), now() + interval '24 hours'
    from action_executions x
    join webhooks w on w.id = any (x.targets) and w.kind = 'zitadel'
   where x.condition = 'event:' || new.type
      or x.condition = 'all'
      or (x.condition like 'group:%' and new.type like substring(x.condition from 7) || '.%');
  if found then
    perform pg_notify('usher_webhooks', '');
  end if;
  return null;
end;
$$;
create trigger events_fan_out after insert on events for each row execute function usher_fan_out_event();
