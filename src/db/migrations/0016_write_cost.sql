-- Cheaper event writes, the hottest of which is the delivery worker recording a sent message
-- (its `*.code.sent` event moves the user's sequence on and counts the send on the code).

-- Room on every page for a row's next version. Moving a user's sequence on changes no indexed
-- column, so with room on the page PostgreSQL writes it as a HOT update and touches none of the
-- users table's sixteen indexes; on a full page (the default fill factor of 100) each such update
-- inserted into all of them. Pages written from now on keep the room; existing ones gain it as
-- they are rewritten.
alter table users set (fillfactor = 70);
alter table user_codes set (fillfactor = 70);

-- Fan-out once per statement instead of once per row: a statement that appends many events (a
-- batch of sent records, a bulk invite batch) runs the two subscriber lookups once for all of
-- them. Deliveries are inserted in event order, so `seq` still follows each aggregate's events.
create function usher_fan_out_events() returns trigger language plpgsql as $$
declare
  fanned integer;
begin
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
drop trigger events_fan_out on events;
drop function usher_fan_out_event();
create trigger events_fan_out after insert on events referencing new table as inserted
  for each statement execute function usher_fan_out_events();
