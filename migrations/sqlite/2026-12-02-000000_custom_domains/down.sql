DROP INDEX organizations_custom_domain_key;
ALTER TABLE organizations DROP COLUMN custom_domain;
