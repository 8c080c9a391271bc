-- An alert is stored with its alert.raise event in one transaction, then written to the authorities' outboxes and
-- marked delivered here; a scan stopped in between leaves it undelivered, and the next scan delivers it. Alerts
-- raised before this column were delivered when they were raised.
ALTER TABLE gov_alerts ADD COLUMN delivered_at VARCHAR(32);
UPDATE gov_alerts SET delivered_at = raised_at;
