-- Quality tickets sent to source departments. IF NOT EXISTS: homes made before migrations already have them.
CREATE TABLE IF NOT EXISTS dq_tickets (id INTEGER PRIMARY KEY AUTOINCREMENT, department VARCHAR(64) NOT NULL,
  dataset VARCHAR(64) NOT NULL, table_name VARCHAR(200) NOT NULL, rule_key VARCHAR(2000) NOT NULL,
  expectation_type VARCHAR(200) NOT NULL, columns VARCHAR(500), severity VARCHAR(16) NOT NULL,
  state VARCHAR(16) NOT NULL, opened_at VARCHAR(40) NOT NULL, opened_run VARCHAR(64) NOT NULL,
  last_failed_at VARCHAR(40), last_failed_run VARCHAR(64), last_failed_feed VARCHAR(64),
  last_failing_rows BIGINT, reopened INTEGER NOT NULL DEFAULT 0, acknowledged_at VARCHAR(40),
  resolved_at VARCHAR(40), resolution_note VARCHAR(2000), verified_at VARCHAR(40), verified_run VARCHAR(64));
