-- Codes are bound to the address they were issued for, and tenant usernames are per tenant.

-- The address a code was sent (or returned) for: a check succeeds only while the user still has
-- that address. Codes issued before this column existed were issued for the current address.
alter table user_codes add column email text;
update user_codes c set email = u.email from users u where u.org_id = c.org_id and u.id = c.user_id;

-- Usernames: the ZITADEL surface keeps ZITADEL's instance-wide uniqueness among the users it
-- creates (username_global); the tenant API's users are unique only within their tenant, so one
-- tenant can neither see nor block a username in another.
alter table users add column username_global boolean not null default true;
drop index users_username;
create unique index users_username_global on users (lower(username)) where username_global;
create unique index users_org_username on users (org_id, lower(username));
