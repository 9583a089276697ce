-- The whole domain schema of Upstate. Kept in the same column types on both engines
-- (TEXT ids and enums, TIMESTAMP in UTC, BIGINT, BOOLEAN) so one diesel schema serves both.
-- Every org-scoped table carries org_id and is removed with its organization.

CREATE TABLE organizations (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL,
    accent_color  TEXT,
    logo_url      TEXT,
    support_url   TEXT,
    -- The org's last realtime event number; bumped in the writing transaction.
    event_seq     BIGINT NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CONSTRAINT organizations_slug_key UNIQUE (slug)
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    -- Stored lowercased, so uniqueness is case-insensitive.
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE memberships (
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE invitations (
    id           TEXT PRIMARY KEY NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    token_hash   TEXT NOT NULL,
    invited_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    accepted_at  TIMESTAMP,
    accepted_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    revoked_at   TIMESTAMP,
    CONSTRAINT invitations_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX invitations_org_idx ON invitations (org_id, created_at);
CREATE INDEX invitations_invited_by_idx ON invitations (invited_by);
CREATE INDEX invitations_accepted_by_idx ON invitations (accepted_by);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY NOT NULL,
    org_id        TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    -- The first characters of the key, shown in lists so a person can tell keys apart.
    key_prefix    TEXT NOT NULL,
    key_hash      TEXT NOT NULL,
    created_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    revoked_at    TIMESTAMP,
    CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash)
);
CREATE INDEX api_keys_org_idx ON api_keys (org_id, created_at);
CREATE INDEX api_keys_created_by_idx ON api_keys (created_by);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- All tokens rotated from one sign-in share a family; reuse of a rotated one revokes it.
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    rotated_at  TIMESTAMP,
    revoked_at  TIMESTAMP,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE password_resets (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    CONSTRAINT password_resets_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

CREATE TABLE service_groups (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX service_groups_org_idx ON service_groups (org_id, position);

CREATE TABLE services (
    id             TEXT PRIMARY KEY NOT NULL,
    org_id         TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    group_id       TEXT REFERENCES service_groups (id) ON DELETE SET NULL,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    -- What the public sees: the worst of manual_status, open incidents and active maintenance.
    status         TEXT NOT NULL CHECK (status IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
    -- The status a person set by hand, restored when incidents and maintenance let go.
    manual_status  TEXT NOT NULL CHECK (manual_status IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
    position       INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX services_org_idx ON services (org_id, position);
CREATE INDEX services_group_idx ON services (group_id);

CREATE TABLE incidents (
    id           TEXT PRIMARY KEY NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    impact       TEXT NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
    postmortem   TEXT,
    created_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    resolved_at  TIMESTAMP,
    -- Deleted incidents are kept as tombstones, so a late update is told "deleted", not "unknown".
    deleted_at   TIMESTAMP,
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX incidents_org_created_idx ON incidents (org_id, created_at);
CREATE INDEX incidents_org_open_idx ON incidents (org_id) WHERE resolved_at IS NULL AND deleted_at IS NULL;
CREATE INDEX incidents_created_by_idx ON incidents (created_by);

CREATE TABLE incident_updates (
    id                 TEXT PRIMARY KEY NOT NULL,
    org_id             TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    incident_id        TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    status             TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    -- Markdown as written; rendered and sanitized when answered.
    message            TEXT NOT NULL,
    author_user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    author_api_key_id  TEXT REFERENCES api_keys (id) ON DELETE SET NULL,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX incident_updates_incident_idx ON incident_updates (incident_id, created_at);
CREATE INDEX incident_updates_org_idx ON incident_updates (org_id);
CREATE INDEX incident_updates_author_user_idx ON incident_updates (author_user_id);
CREATE INDEX incident_updates_author_key_idx ON incident_updates (author_api_key_id);

CREATE TABLE incident_services (
    incident_id  TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    service_id   TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    org_id       TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
    PRIMARY KEY (incident_id, service_id)
);
CREATE INDEX incident_services_service_idx ON incident_services (service_id);
CREATE INDEX incident_services_org_idx ON incident_services (org_id);

CREATE TABLE maintenances (
    id               TEXT PRIMARY KEY NOT NULL,
    org_id           TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    scheduled_start  TIMESTAMP NOT NULL,
    scheduled_end    TIMESTAMP NOT NULL,
    auto_transition  BOOLEAN NOT NULL DEFAULT TRUE,
    started_at       TIMESTAMP,
    ended_at         TIMESTAMP,
    created_by       TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    CHECK (scheduled_end > scheduled_start)
);
CREATE INDEX maintenances_org_start_idx ON maintenances (org_id, scheduled_start);
-- The scheduler's look-ups: windows due to start or to complete.
CREATE INDEX maintenances_due_idx ON maintenances (status, scheduled_start, scheduled_end) WHERE auto_transition;
CREATE INDEX maintenances_created_by_idx ON maintenances (created_by);

CREATE TABLE maintenance_services (
    maintenance_id  TEXT NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    service_id      TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    org_id          TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (maintenance_id, service_id)
);
CREATE INDEX maintenance_services_service_idx ON maintenance_services (service_id);
CREATE INDEX maintenance_services_org_idx ON maintenance_services (org_id);

CREATE TABLE maintenance_updates (
    id                 TEXT PRIMARY KEY NOT NULL,
    org_id             TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    maintenance_id     TEXT NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    status             TEXT NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    message            TEXT NOT NULL,
    author_user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    author_api_key_id  TEXT REFERENCES api_keys (id) ON DELETE SET NULL,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX maintenance_updates_maintenance_idx ON maintenance_updates (maintenance_id, created_at);
CREATE INDEX maintenance_updates_org_idx ON maintenance_updates (org_id);
CREATE INDEX maintenance_updates_author_user_idx ON maintenance_updates (author_user_id);
CREATE INDEX maintenance_updates_author_key_idx ON maintenance_updates (author_api_key_id);

CREATE TABLE service_status_changes (
    id                     TEXT PRIMARY KEY NOT NULL,
    org_id                 TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    service_id             TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    status                 TEXT NOT NULL CHECK (status IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
    -- What moved it: a person's hand, an incident, or a maintenance window.
    source                 TEXT NOT NULL CHECK (source IN ('manual', 'incident', 'maintenance')),
    changed_by_user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    changed_by_api_key_id  TEXT REFERENCES api_keys (id) ON DELETE SET NULL,
    incident_id            TEXT REFERENCES incidents (id) ON DELETE SET NULL,
    maintenance_id         TEXT REFERENCES maintenances (id) ON DELETE SET NULL,
    changed_at             TIMESTAMP NOT NULL
);
-- A service's history, and its status at the start of an uptime range.
CREATE INDEX service_status_changes_service_idx ON service_status_changes (service_id, changed_at);
CREATE INDEX service_status_changes_org_idx ON service_status_changes (org_id, changed_at);
CREATE INDEX service_status_changes_user_idx ON service_status_changes (changed_by_user_id);
CREATE INDEX service_status_changes_key_idx ON service_status_changes (changed_by_api_key_id);
CREATE INDEX service_status_changes_incident_idx ON service_status_changes (incident_id);
CREATE INDEX service_status_changes_maintenance_idx ON service_status_changes (maintenance_id);

CREATE TABLE events (
    org_id          TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    event_type      TEXT NOT NULL,
    -- JSON of the resource in its public form; member_payload in the dashboard's form.
    payload         TEXT NOT NULL,
    member_payload  TEXT,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, seq)
);
CREATE INDEX events_created_idx ON events (created_at);

-- org_id is NULL for what belongs to no org: sign-ins, and the deletion of an org itself.
CREATE TABLE audit_log (
    id                TEXT PRIMARY KEY NOT NULL,
    org_id            TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    actor_user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    actor_api_key_id  TEXT REFERENCES api_keys (id) ON DELETE SET NULL,
    action            TEXT NOT NULL,
    target_type       TEXT NOT NULL,
    target_id         TEXT,
    -- JSON with what changed.
    details           TEXT NOT NULL DEFAULT '{}',
    ip                TEXT,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, id);
CREATE INDEX audit_log_user_idx ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_key_idx ON audit_log (actor_api_key_id);

-- Outbound messages (emails, later webhooks), written in the transaction that causes them and
-- delivered with retries by a worker, so a crash loses none.
CREATE TABLE outbox (
    id            TEXT PRIMARY KEY NOT NULL,
    org_id        TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    created_at    TIMESTAMP NOT NULL,
    available_at  TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP,
    delivered_at  TIMESTAMP
);
CREATE INDEX outbox_pending_idx ON outbox (available_at) WHERE delivered_at IS NULL;
CREATE INDEX outbox_org_idx ON outbox (org_id);
