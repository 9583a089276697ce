ALTER TABLE maintenance_updates DROP COLUMN message_html;
ALTER TABLE maintenances DROP COLUMN description_html;
ALTER TABLE incidents DROP COLUMN postmortem_html;
ALTER TABLE incident_updates DROP COLUMN message_html;
