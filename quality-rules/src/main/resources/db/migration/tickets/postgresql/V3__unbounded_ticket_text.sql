-- Text that comes from a suite or from a person has no length the platform can promise: a rule key is the rule's type
-- and the JSON of its arguments (an in-set rule with ~300 district codes passes 2000 characters), its columns a
-- column_list, a note and a signer what a department types. VARCHAR(n) refused them on PostgreSQL ("value too long"),
-- losing the feed's feedback; SQLite ignores lengths, so only PostgreSQL changes. TEXT is stored as VARCHAR is, so no
-- row is rewritten.
ALTER TABLE dq_tickets ALTER COLUMN rule_key TYPE TEXT, ALTER COLUMN columns TYPE TEXT,
  ALTER COLUMN resolution_note TYPE TEXT;
ALTER TABLE dq_ticket_events ALTER COLUMN actor TYPE TEXT, ALTER COLUMN note TYPE TEXT;
