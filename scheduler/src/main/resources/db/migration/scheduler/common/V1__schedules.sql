-- Schedules of the embedded scheduler: a pipeline or a department's quality suite, run by cron and/or when a new
-- snapshot of an input table arrives, as a configured identity.
CREATE TABLE IF NOT EXISTS schedules (
  id VARCHAR(120) PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  target VARCHAR(1000) NOT NULL,
  command TEXT NOT NULL,
  cron VARCHAR(120),
  on_feed INTEGER NOT NULL,
  inputs VARCHAR(4000),
  run_as VARCHAR(200) NOT NULL,
  max_attempts INTEGER NOT NULL,
  paused INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  last_due BIGINT,
  last_feed VARCHAR(4000));
-- One scheduler at a time runs a platform database's schedules: the holder renews its lease; a lease not renewed
-- in time (the holder died) is taken over, with the runs the dead holder had started.
CREATE TABLE IF NOT EXISTS scheduler_lease (
  name VARCHAR(32) PRIMARY KEY,
  owner VARCHAR(200),
  heartbeat_at BIGINT NOT NULL);
