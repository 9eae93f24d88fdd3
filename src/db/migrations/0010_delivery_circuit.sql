-- Delivery that waits out outages: the state of each process's circuit per mail provider, so
-- operators see an outage (`usher mail list`) without reading logs.

create table delivery_circuit (
  provider text not null,
  process text not null,
  state text not null check (state in ('closed', 'open')),
  changed_at timestamptz not null,
  checked_at timestamptz not null,
  last_error text,
  failures integer not null default 0,
  primary key (provider, process)
);
