-- Custom domains (issue 16): an org may serve its public page at a host name of its own
-- (`status.example.com`). Stored lowercased, so uniqueness is case-insensitive; NULL when the
-- org has none (a unique index allows any number of NULLs on both engines).
ALTER TABLE organizations ADD COLUMN custom_domain TEXT;
CREATE UNIQUE INDEX organizations_custom_domain_key ON organizations (custom_domain);
