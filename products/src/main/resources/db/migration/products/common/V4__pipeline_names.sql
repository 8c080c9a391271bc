-- A pipeline name is the organization's whose pipeline of that name first made a version: claimed in the transaction
-- that records that version, so that two organizations' first runs of one new name at once cannot both take it (the
-- key refuses the second insert). Versions recorded before this table are still read for their owners.
CREATE TABLE IF NOT EXISTS pipeline_names (pipeline VARCHAR(64) NOT NULL PRIMARY KEY, owner VARCHAR(200) NOT NULL,
  claimed_at VARCHAR(40) NOT NULL);
