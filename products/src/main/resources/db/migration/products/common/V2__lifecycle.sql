-- The registry and lifecycle: content digests and tags of versions, the files each version needs, every state
-- change with who made it, seals and destructions.
ALTER TABLE product_versions ADD COLUMN tag VARCHAR(32);
ALTER TABLE product_versions ADD COLUMN content TEXT;
ALTER TABLE product_versions ADD COLUMN publication TEXT;
ALTER TABLE product_versions ADD COLUMN updated_at VARCHAR(40);

CREATE TABLE product_version_files (product VARCHAR(64) NOT NULL, version INTEGER NOT NULL,
  name VARCHAR(1000) NOT NULL, location VARCHAR(2000) NOT NULL, kind VARCHAR(32) NOT NULL, size BIGINT NOT NULL,
  records BIGINT NOT NULL, digest VARCHAR(128) NOT NULL, PRIMARY KEY (product, version, name));

CREATE TABLE product_version_transitions (product VARCHAR(64) NOT NULL, version INTEGER NOT NULL,
  from_state VARCHAR(16), to_state VARCHAR(16) NOT NULL, actor VARCHAR(200) NOT NULL, organization VARCHAR(200),
  role VARCHAR(32), at VARCHAR(40) NOT NULL, reason VARCHAR(2000));

CREATE TABLE product_seals (product VARCHAR(64) NOT NULL, version INTEGER NOT NULL, archive VARCHAR(2000) NOT NULL,
  manifest_digest VARCHAR(128) NOT NULL, algorithm VARCHAR(16) NOT NULL, sealed_at VARCHAR(40) NOT NULL,
  sealed_by VARCHAR(200) NOT NULL, PRIMARY KEY (product, version));

CREATE TABLE product_destructions (product VARCHAR(64) NOT NULL, version INTEGER NOT NULL, plan TEXT NOT NULL,
  started_at VARCHAR(40) NOT NULL, started_by VARCHAR(200) NOT NULL, approved_by VARCHAR(200) NOT NULL,
  finished_at VARCHAR(40), certificate VARCHAR(2000), certificate_digest VARCHAR(128),
  PRIMARY KEY (product, version));
