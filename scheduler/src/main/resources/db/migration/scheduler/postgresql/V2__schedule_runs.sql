-- Run history. (schedule_id, trigger_key) is unique: a cron occurrence ('cron:<epoch ms>'), a feed arrival
-- ('feed:<digest of the input snapshots>') or a manual trigger is claimed once, whoever claims it and however often it restarts.
CREATE TABLE IF NOT EXISTS schedule_runs (
  id BIGSERIAL PRIMARY KEY,
  schedule_id VARCHAR(120) NOT NULL,
  trigger_key VARCHAR(200) NOT NULL,
  trigger_kind VARCHAR(16) NOT NULL,
  due_at BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  owner VARCHAR(200),
  started_at BIGINT,
  finished_at BIGINT,
  exit_status INTEGER,
  error VARCHAR(1000),
  UNIQUE (schedule_id, trigger_key));
CREATE INDEX IF NOT EXISTS schedule_runs_state ON schedule_runs (state, next_attempt_at);
