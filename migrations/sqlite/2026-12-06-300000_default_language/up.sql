-- The language an org's public page speaks to a visitor whose browser asks for none Upstate speaks.
ALTER TABLE organizations ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en';
