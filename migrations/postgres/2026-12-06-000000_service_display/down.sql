ALTER TABLE services DROP COLUMN display;
