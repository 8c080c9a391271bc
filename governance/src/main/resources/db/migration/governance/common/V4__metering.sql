-- Metering (计量): records derived from the audit trail's events, never counted separately. Each record names the
-- event it comes from (audit_seq, and item for a run's several inputs), so deriving twice changes nothing and a
-- cross-check can compare every record with its event. meter_cursor holds the last event derived.
CREATE TABLE meter_reads (audit_seq BIGINT NOT NULL, item INTEGER NOT NULL, at VARCHAR(32) NOT NULL,
  actor VARCHAR(32) NOT NULL, organization VARCHAR(64), source VARCHAR(32) NOT NULL, grant_id BIGINT,
  run_key VARCHAR(64), pipeline VARCHAR(64), product VARCHAR(64), table_name VARCHAR(200) NOT NULL,
  department VARCHAR(64), snapshot_id BIGINT, rows_read BIGINT NOT NULL, bytes_read BIGINT NOT NULL,
  PRIMARY KEY (audit_seq, item));
CREATE INDEX meter_reads_at ON meter_reads (at);
CREATE INDEX meter_reads_grant ON meter_reads (grant_id, at);
CREATE INDEX meter_reads_run ON meter_reads (run_key);
CREATE TABLE meter_deliveries (audit_seq BIGINT PRIMARY KEY, at VARCHAR(32) NOT NULL, actor VARCHAR(32) NOT NULL,
  partner VARCHAR(64) NOT NULL, product VARCHAR(64) NOT NULL, version INTEGER NOT NULL, rows_delivered BIGINT NOT NULL,
  bytes_delivered BIGINT NOT NULL, via VARCHAR(32) NOT NULL);
CREATE INDEX meter_deliveries_at ON meter_deliveries (at);
CREATE TABLE meter_cursor (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL);
INSERT INTO meter_cursor (id, seq) VALUES (1, 0);
