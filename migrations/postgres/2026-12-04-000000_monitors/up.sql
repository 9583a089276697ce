-- Monitors (issue 17): automated checks that drive a service's status.
--
-- `definition` is the check as JSON (its `kind` copied to `kind` for listing); the settings are
-- columns. The anti-flap rule's memory is `state` (decided) and `recent` (the last results,
-- oldest first, one letter each: u up, d degraded, x down), so any replica can run the next check.
-- `next_run_at` is the schedule and the lease at once: a replica claims a due check by moving it
-- one interval on with a conditional update, so each check runs once across replicas, and a
-- replica that dies leaves the next one to whoever is alive.
CREATE TABLE monitors (
    id                    TEXT PRIMARY KEY NOT NULL,
    org_id                TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    service_id            TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    name                  TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('http', 'tcp', 'dns', 'heartbeat')),
    definition            TEXT NOT NULL,
    interval_seconds      INTEGER NOT NULL,
    timeout_seconds       INTEGER NOT NULL,
    failures_to_fail      INTEGER NOT NULL,
    successes_to_recover  INTEGER NOT NULL,
    paused                BOOLEAN NOT NULL DEFAULT FALSE,
    state                 TEXT NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'degraded', 'down')),
    recent                TEXT NOT NULL DEFAULT '',
    next_run_at           TIMESTAMP NOT NULL,
    last_checked_at       TIMESTAMP,
    last_state            TEXT CHECK (last_state IN ('up', 'degraded', 'down')),
    last_latency_ms       INTEGER,
    last_message          TEXT,
    auto_incident         TEXT,
    open_incident_id      TEXT REFERENCES incidents (id) ON DELETE SET NULL,
    heartbeat_token       TEXT UNIQUE,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX monitors_due_idx ON monitors (paused, next_run_at);
CREATE INDEX monitors_org_idx ON monitors (org_id, id);
CREATE INDEX monitors_service_idx ON monitors (service_id);
CREATE INDEX monitors_incident_idx ON monitors (open_incident_id);

-- Each check's result, kept for the raw retention window (48 hours by default). `state`: 0 up,
-- 1 degraded, 2 down; `message` only when not up (an up result says only how fast it was).
CREATE TABLE monitor_results (
    monitor_id  TEXT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    checked_at  TIMESTAMP NOT NULL,
    state       SMALLINT NOT NULL,
    latency_ms  INTEGER NOT NULL,
    message     TEXT,
    PRIMARY KEY (monitor_id, checked_at)
);

-- Per hour and monitor: how many checks were up, degraded and down, and their response times;
-- kept far longer than the raw results (charts over 7 and 30 days, uptime).
CREATE TABLE monitor_hours (
    monitor_id      TEXT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    hour            TIMESTAMP NOT NULL,
    up              INTEGER NOT NULL,
    degraded        INTEGER NOT NULL,
    down            INTEGER NOT NULL,
    latency_ms_sum  BIGINT NOT NULL,
    latency_ms_max  INTEGER NOT NULL,
    PRIMARY KEY (monitor_id, hour)
);

-- What the service's running monitors ask for (the worst of them); NULL when none runs.
ALTER TABLE services ADD COLUMN monitor_status TEXT;

-- A status change may be caused by a monitor.
ALTER TABLE service_status_changes ADD COLUMN monitor_id TEXT REFERENCES monitors (id) ON DELETE SET NULL;
ALTER TABLE service_status_changes DROP CONSTRAINT service_status_changes_source_check;
ALTER TABLE service_status_changes ADD CONSTRAINT service_status_changes_source_check
    CHECK (source IN ('manual', 'incident', 'maintenance', 'monitor'));
CREATE INDEX service_status_changes_monitor_idx ON service_status_changes (monitor_id);
