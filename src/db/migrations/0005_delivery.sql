-- Delivery you can trust: per-organization message texts, which provider sent a message, and
-- per-code delivery counters.

create table message_texts (
  org_id text not null,
  message_type text not null,
  language text not null,
  subject text,
  greeting text,
  body text,
  button_text text,
  updated_at timestamptz not null default now(),
  primary key (org_id, message_type, language)
);

alter table outbox add column provider text;

alter table user_codes add column send_count integer not null default 0;
alter table user_codes add column last_sent_at timestamptz;
