-- A string search is a prefix match on the normalized value (search_value >= prefix AND < the next prefix):
-- under the "C" collation byte order is the order, so the index answers it in any database locale.
DROP INDEX IF EXISTS ix_anchor_audit_search;
ALTER TABLE anchor_audit_search ALTER COLUMN search_value TYPE VARCHAR(255) COLLATE "C";
CREATE INDEX IF NOT EXISTS ix_anchor_audit_search ON anchor_audit_search (param, search_value, event_id);
