-- The fan-out trigger returns at once while no webhook or Actions target exists (most
-- installations, and every one until its first subscriber): the lookups it then skipped cost
-- ~0.4 ms per event-writing statement (EXPLAIN ANALYZE of a 10-message delivery record: 0.43 ms
-- in the trigger, 0.03 ms with the early return). With a subscriber it runs as before.
create or replace function usher_fan_out_events() returns trigger language plpgsql as $$
declare
  fanned integer;
begin
  -- No subscriber of either kind: nothing to fan out to. Without this the subscriber lookups
  -- cost ~0.4 ms a statement even over empty tables, a tenth of a delivery record's cost.
  if not exists (select 1 from webhooks) then
    return null;
  end if;
  insert into webhook_deliveries (webhook_id, org_id, aggregate_id, event_sequence, event_type, status,
    next_attempt_at, created_at, updated_at, expires_at)
  select d.webhook_id, d.org_id, d.aggregate_id, d.sequence, d.type, 'queued',
         case when d.status = 'active' then now() else 'infinity' end, now(), now(), now() + interval '24 hours'
    from (
      select w.id as webhook_id, w.status, e.org_id, e.aggregate_id, e.sequence, e.type, e.position
        from inserted e
        join webhooks w on w.kind = 'standard' and w.org_id = e.org_id and e.type = any (w.event_types)
      union
      select w.id, w.status, e.org_id, e.aggregate_id, e.sequence, e.type, e.position
        from inserted e
        join action_executions x
          on x.condition = 'event:' || e.type
          or x.condition = 'all'
          or (x.condition like 'group:%' and e.type like substring(x.condition from 7) || '.%')
        join webhooks w on w.id = any (x.targets) and w.kind = 'zitadel') d
   order by d.position, d.webhook_id;
  get diagnostics fanned = row_count;
  if fanned > 0 then
    perform pg_notify('usher_webhooks', '');
  end if;
  return null;
end;
$$;
