-- Messages are rendered to sanitized HTML once, when written; NULL means "not rendered yet",
-- and `upstate migrate` renders every NULL one right after the migrations. A change of the
-- Markdown policy that must reach what was already published sets these back to NULL.
ALTER TABLE incident_updates ADD COLUMN message_html TEXT;
ALTER TABLE incidents ADD COLUMN postmortem_html TEXT;
ALTER TABLE maintenances ADD COLUMN description_html TEXT;
ALTER TABLE maintenance_updates ADD COLUMN message_html TEXT;
