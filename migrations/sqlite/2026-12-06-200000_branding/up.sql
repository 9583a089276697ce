-- Branding (issue 19): beside the accent colour, logo and support link, an org's public page
-- has its own favicon, a link to the org's home page, a footer line, a default theme (`auto`
-- follows the visitor's system) and custom CSS (a checked, safe subset, at most 16 KiB).
ALTER TABLE organizations ADD COLUMN favicon_url TEXT;
ALTER TABLE organizations ADD COLUMN home_url TEXT;
ALTER TABLE organizations ADD COLUMN footer_text TEXT;
ALTER TABLE organizations ADD COLUMN theme TEXT NOT NULL DEFAULT 'auto' CHECK (theme IN ('auto', 'light', 'dark'));
ALTER TABLE organizations ADD COLUMN custom_css TEXT;
