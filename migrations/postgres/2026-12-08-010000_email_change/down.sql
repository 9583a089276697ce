ALTER TABLE link_tokens DROP COLUMN detail;
