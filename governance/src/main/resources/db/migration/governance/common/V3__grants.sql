-- Scenario applications and grants (依场景授权). An application becomes a grant when the authority and every department
-- owning a requested table approved it; any party's rejection ends it. Times are UTC text of one fixed width.
-- Column lists are JSON arrays. A department's decision may narrow the columns of its tables (granted_columns) and
-- add a row filter (department_filter), which is combined with the applicant's own (requested_filter) by AND.
CREATE TABLE gov_grants (id BIGINT PRIMARY KEY, scenario VARCHAR(200) NOT NULL, purpose VARCHAR(2000) NOT NULL,
  operator VARCHAR(64) NOT NULL, applicant VARCHAR(32) NOT NULL, products TEXT NOT NULL,
  valid_from VARCHAR(32) NOT NULL, expires_at VARCHAR(32) NOT NULL, state VARCHAR(16) NOT NULL,
  applied_at VARCHAR(32) NOT NULL, decided_at VARCHAR(32), revoked_at VARCHAR(32), revoked_by VARCHAR(32),
  revoke_reason VARCHAR(2000), application_sha256 VARCHAR(64) NOT NULL);
CREATE INDEX gov_grants_scenario ON gov_grants (scenario, operator);
CREATE TABLE gov_grant_resources (grant_id BIGINT NOT NULL REFERENCES gov_grants (id), table_name VARCHAR(200) NOT NULL,
  department VARCHAR(64) NOT NULL, requested_columns TEXT NOT NULL, requested_filter TEXT, granted_columns TEXT,
  department_filter TEXT, PRIMARY KEY (grant_id, table_name));
-- One decision per party: 'authority' (whichever authority organization decided), or a department by its id.
CREATE TABLE gov_grant_decisions (grant_id BIGINT NOT NULL REFERENCES gov_grants (id), party VARCHAR(64) NOT NULL,
  organization VARCHAR(64) NOT NULL, decision VARCHAR(16) NOT NULL, decided_by VARCHAR(32) NOT NULL,
  decided_at VARCHAR(32) NOT NULL, note VARCHAR(2000), PRIMARY KEY (grant_id, party));
