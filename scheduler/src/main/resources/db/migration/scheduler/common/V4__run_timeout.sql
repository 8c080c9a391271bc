-- A run's attempt that outlives its schedule's timeout is stopped and failed, where a hung one held its schedule (one
-- run at a time) for ever. Schedules added before keep the default, a day.
ALTER TABLE schedules ADD COLUMN timeout_seconds BIGINT NOT NULL DEFAULT 86400;
