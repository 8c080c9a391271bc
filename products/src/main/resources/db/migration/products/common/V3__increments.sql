-- Incremental runs: each input table's snapshot the run read from (exclusive), as JSON; NULL for a full run.
ALTER TABLE product_versions ADD COLUMN inputs_from TEXT;
