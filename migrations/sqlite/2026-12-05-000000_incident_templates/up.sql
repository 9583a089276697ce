-- Incident templates (issue 19): the incidents a team declares again and again, kept by name so
-- an editor declares one in two clicks. `affected` is JSON text, a list of
-- {"service_id": ..., "status": ...}; a service deleted since is left out when the template is
-- read (no foreign key can reach into JSON, and a template stays usable without it).
CREATE TABLE incident_templates (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    title       TEXT NOT NULL,
    impact      TEXT NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
    status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    message     TEXT NOT NULL,
    affected    TEXT NOT NULL DEFAULT '[]',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX incident_templates_created_by_idx ON incident_templates (created_by);
