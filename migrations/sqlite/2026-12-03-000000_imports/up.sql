-- Imports from other status pages (issue 16): which of an org's groups, services and incidents
-- came from which record of which source (`statuspage:{page id}`), so that importing the same
-- page again creates nothing twice. A row goes with its org; the imported row itself may be
-- deleted later (then nothing points at it and a new import leaves it deleted).
CREATE TABLE imported_records (
    org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    external_id TEXT NOT NULL,
    local_id TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, source, kind, external_id)
);
