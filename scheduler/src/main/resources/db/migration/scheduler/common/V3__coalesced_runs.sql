-- A cron run stands for every occurrence that fell since the last one claimed (a scheduler down for ten days runs a
-- daily schedule once, not ten times): how many (counted up to 100000), and the first of them (due_at is the last).
ALTER TABLE schedule_runs ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
ALTER TABLE schedule_runs ADD COLUMN first_due BIGINT;
