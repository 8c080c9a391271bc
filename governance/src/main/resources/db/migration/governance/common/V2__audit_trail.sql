-- The audit trail: one hash chain of events. hash = digest(prev_hash bytes || canonical JSON of the event), where the
-- canonical JSON embeds objects and details exactly as stored here. audit_head holds the newest seq and hash, so that
-- a deleted or appended last event is found; audit_event_objects only indexes objects for lookups (not hashed).
CREATE TABLE audit_events (seq BIGINT PRIMARY KEY, at VARCHAR(32) NOT NULL, actor VARCHAR(32) NOT NULL,
  organization VARCHAR(64), role VARCHAR(16), action VARCHAR(100) NOT NULL, objects TEXT NOT NULL,
  outcome VARCHAR(16) NOT NULL, details TEXT NOT NULL, digest VARCHAR(8) NOT NULL, prev_hash VARCHAR(64) NOT NULL,
  hash VARCHAR(64) NOT NULL);
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE TABLE audit_event_objects (object VARCHAR(500) NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (object, seq));
CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash VARCHAR(64) NOT NULL);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
