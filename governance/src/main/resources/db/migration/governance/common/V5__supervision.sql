-- Security supervision (安全监管): alerts raised by rules over the audit trail and metering. An alert names its rule,
-- its subject (a user, a grant's table, a pipeline) and the events that fired it; one per rule, subject and first
-- event, so scanning again raises nothing twice. supervision_cursor holds the last event scanned.
CREATE TABLE gov_alerts (id BIGINT PRIMARY KEY, rule VARCHAR(32) NOT NULL, severity VARCHAR(16) NOT NULL,
  subject VARCHAR(500) NOT NULL, raised_at VARCHAR(32) NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL,
  last_at VARCHAR(32) NOT NULL, message VARCHAR(2000) NOT NULL, details TEXT NOT NULL, UNIQUE (rule, subject, first_seq));
CREATE INDEX gov_alerts_subject ON gov_alerts (rule, subject, last_at);
CREATE TABLE gov_supervision_cursor (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL);
INSERT INTO gov_supervision_cursor (id, seq) VALUES (1, 0);
