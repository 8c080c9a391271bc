-- The input snapshots of pipeline runs in flight: table maintenance keeps them (and so the files they read) while
-- the run beats, and for the safety age after its last beat (a process that stopped beating may only be paused).
CREATE TABLE run_pins (
  run_key VARCHAR(64) PRIMARY KEY,
  product VARCHAR(200) NOT NULL,
  snapshots TEXT NOT NULL,
  started_at BIGINT NOT NULL, -- epoch milliseconds
  beat_at BIGINT NOT NULL
);
