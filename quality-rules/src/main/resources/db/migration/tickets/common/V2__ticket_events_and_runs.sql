-- The history of each ticket, and every quality run of a department dataset.
CREATE TABLE IF NOT EXISTS dq_ticket_events (ticket_id BIGINT NOT NULL, at VARCHAR(40) NOT NULL,
  event VARCHAR(32) NOT NULL, actor VARCHAR(200) NOT NULL, note VARCHAR(2000));
CREATE TABLE IF NOT EXISTS dq_runs (run_id VARCHAR(64) PRIMARY KEY, table_name VARCHAR(200) NOT NULL,
  department VARCHAR(64), dataset VARCHAR(64), feed_id VARCHAR(64), at VARCHAR(40) NOT NULL,
  evaluated INTEGER NOT NULL, successful INTEGER NOT NULL, success INTEGER NOT NULL, rows_scanned BIGINT,
  failing_rows BIGINT);
