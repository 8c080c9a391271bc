-- Organizations, their users, the users' roles and API tokens. Times are UTC text of one fixed width (they sort).
-- A token is stored only as the SHA-256 of its text; its id (the first characters after 'dop_') finds it.
CREATE TABLE gov_organizations (id VARCHAR(64) PRIMARY KEY, display_name VARCHAR(200) NOT NULL,
  kind VARCHAR(16) NOT NULL, created_at VARCHAR(32) NOT NULL);
CREATE TABLE gov_users (name VARCHAR(32) PRIMARY KEY, organization VARCHAR(64) NOT NULL REFERENCES gov_organizations (id),
  password_hash VARCHAR(256), disabled INTEGER NOT NULL DEFAULT 0, created_at VARCHAR(32) NOT NULL);
CREATE TABLE gov_user_roles (user_name VARCHAR(32) NOT NULL REFERENCES gov_users (name), role VARCHAR(16) NOT NULL,
  PRIMARY KEY (user_name, role));
CREATE INDEX gov_user_roles_role ON gov_user_roles (role);
CREATE TABLE gov_api_tokens (id VARCHAR(16) PRIMARY KEY, user_name VARCHAR(32) NOT NULL REFERENCES gov_users (name),
  secret_sha256 VARCHAR(64) NOT NULL, created_at VARCHAR(32) NOT NULL, expires_at VARCHAR(32) NOT NULL,
  revoked_at VARCHAR(32), last_used_at VARCHAR(32));
CREATE INDEX gov_api_tokens_user ON gov_api_tokens (user_name);
