-- The landed-feed ledger: one row per feed an ods table committed, kept when the feed's snapshot is expired, so
-- that landing the same content again is still recognised. Homes made before the ledger are filled from their ods
-- snapshots' summaries by 'dataops table maintain' before it expires anything.
CREATE TABLE IF NOT EXISTS landed_feeds (
  table_name VARCHAR(200) NOT NULL,
  feed_id VARCHAR(64) NOT NULL,
  snapshot_id BIGINT NOT NULL,
  feed_key VARCHAR(200),
  file_sha256 VARCHAR(64) NOT NULL,
  file_size BIGINT NOT NULL,
  contract_sha256 VARCHAR(64),
  rows_landed BIGINT NOT NULL,
  quarantine_pending INTEGER NOT NULL,
  committed_at BIGINT NOT NULL,
  PRIMARY KEY (table_name, feed_id));
CREATE INDEX IF NOT EXISTS landed_feeds_sha ON landed_feeds (table_name, file_sha256);
CREATE INDEX IF NOT EXISTS landed_feeds_size ON landed_feeds (table_name, file_size);
