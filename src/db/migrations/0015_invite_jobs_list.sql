-- The tenant's invite jobs newest first (GET /v1/invite-jobs), and the finished ones whose rows
-- are past their retention.
create index invite_jobs_org_created on invite_jobs (org_id, created_at desc, id desc);
create index invite_jobs_finished on invite_jobs (finished_at) where finished_at is not null;
