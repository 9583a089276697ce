CREATE TABLE service_status_changes_new (
    id                     TEXT PRIMARY KEY NOT NULL,
    org_id                 TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    service_id             TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    status                 TEXT NOT NULL CHECK (status IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
    source                 TEXT NOT NULL CHECK (source IN ('manual', 'incident', 'maintenance')),
    changed_by_user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    changed_by_api_key_id  TEXT REFERENCES api_keys (id) ON DELETE SET NULL,
    incident_id            TEXT REFERENCES incidents (id) ON DELETE SET NULL,
    maintenance_id         TEXT REFERENCES maintenances (id) ON DELETE SET NULL,
    changed_at             TIMESTAMP NOT NULL
);
INSERT INTO service_status_changes_new
    (id, org_id, service_id, status, source, changed_by_user_id, changed_by_api_key_id,
     incident_id, maintenance_id, changed_at)
SELECT id, org_id, service_id, status, CASE source WHEN 'monitor' THEN 'manual' ELSE source END, changed_by_user_id, changed_by_api_key_id,
       incident_id, maintenance_id, changed_at
FROM service_status_changes;
DROP TABLE service_status_changes;
ALTER TABLE service_status_changes_new RENAME TO service_status_changes;
CREATE INDEX service_status_changes_service_idx ON service_status_changes (service_id, changed_at);
CREATE INDEX service_status_changes_org_idx ON service_status_changes (org_id, changed_at);
CREATE INDEX service_status_changes_user_idx ON service_status_changes (changed_by_user_id);
CREATE INDEX service_status_changes_key_idx ON service_status_changes (changed_by_api_key_id);
CREATE INDEX service_status_changes_incident_idx ON service_status_changes (incident_id);
CREATE INDEX service_status_changes_maintenance_idx ON service_status_changes (maintenance_id);
ALTER TABLE services DROP COLUMN monitor_status;
DROP TABLE monitor_hours;
DROP TABLE monitor_results;
DROP TABLE monitors;
