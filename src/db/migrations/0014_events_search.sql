-- The instance's event search (admin ListEvents): pages walk the write order, newest first by
-- default, and "the history of one aggregate" is found without its resource owner. Without them
-- both were a scan and sort of the whole table (~150 ms and ~50 ms at 300,000 events).
create index events_position_order on events (position);
create index events_aggregate on events (aggregate_id, sequence);
