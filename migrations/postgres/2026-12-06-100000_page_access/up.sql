-- Private pages (issue 19): who may see an org's status page. No row is a public page. `ranges`
-- are the client address ranges (CIDR, IPv4 and IPv6) of `addresses`, one per line; the
-- password is an Argon2id hash, never read back and never exported.
CREATE TABLE page_access (
    org_id         TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    mode           TEXT NOT NULL DEFAULT 'public' CHECK (mode IN ('public', 'members', 'password', 'addresses')),
    ranges         TEXT NOT NULL DEFAULT '',
    password_hash  TEXT,
    updated_at     TIMESTAMP NOT NULL
);
