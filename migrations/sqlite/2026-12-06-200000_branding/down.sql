ALTER TABLE organizations DROP COLUMN custom_css;
ALTER TABLE organizations DROP COLUMN theme;
ALTER TABLE organizations DROP COLUMN footer_text;
ALTER TABLE organizations DROP COLUMN home_url;
ALTER TABLE organizations DROP COLUMN favicon_url;
