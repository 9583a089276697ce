ALTER TABLE organizations DROP COLUMN default_language;
