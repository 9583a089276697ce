-- The uptime bars read the incidents resolved within their window (or still open): an index on
-- the resolution time keeps that read bounded by the window, not by the org's whole history.
CREATE INDEX incidents_org_resolved_idx ON incidents (org_id, resolved_at);
