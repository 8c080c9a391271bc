-- Product versions as pipeline runs make them. IF NOT EXISTS: homes made before migrations already have it.
CREATE TABLE IF NOT EXISTS product_versions (product VARCHAR(64) NOT NULL, version INTEGER NOT NULL,
  state VARCHAR(16) NOT NULL, table_name VARCHAR(200) NOT NULL, snapshot_id BIGINT NOT NULL,
  pipeline VARCHAR(64) NOT NULL, pipeline_sha256 VARCHAR(64) NOT NULL, scenario VARCHAR(500),
  owner VARCHAR(200), engine VARCHAR(32) NOT NULL, run_key VARCHAR(64) NOT NULL UNIQUE,
  inputs VARCHAR(4000) NOT NULL, policies TEXT NOT NULL, privacy TEXT, leak_check TEXT NOT NULL, quality TEXT,
  rows_in BIGINT NOT NULL, rows_out BIGINT NOT NULL, rows_suppressed BIGINT NOT NULL, unfit_values TEXT,
  created_at VARCHAR(40) NOT NULL, PRIMARY KEY (product, version));
