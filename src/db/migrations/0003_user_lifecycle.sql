-- ListUsers over many users (zitadel.user.v2.UserService): paging by creation date, exact and
-- prefix look-ups by email and username, scoped to an organization or instance-wide.
-- text_pattern_ops serves both `lower(col) = …` and `lower(col) like 'prefix%'` whatever the
-- database's collation.
create index users_created on users (created_at, id);
create index users_org_created on users (org_id, created_at, id);
create index users_email_lower on users (lower(email) text_pattern_ops);
create index users_org_email_lower on users (org_id, lower(email) text_pattern_ops);
create index users_username_pattern on users (lower(username) text_pattern_ops);
