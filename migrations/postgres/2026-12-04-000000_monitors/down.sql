UPDATE service_status_changes SET source = 'manual' WHERE source = 'monitor';
ALTER TABLE service_status_changes DROP CONSTRAINT service_status_changes_source_check;
ALTER TABLE service_status_changes ADD CONSTRAINT service_status_changes_source_check
    CHECK (source IN ('manual', 'incident', 'maintenance'));
DROP INDEX service_status_changes_monitor_idx;
ALTER TABLE service_status_changes DROP COLUMN monitor_id;
ALTER TABLE services DROP COLUMN monitor_status;
DROP TABLE monitor_hours;
DROP TABLE monitor_results;
DROP TABLE monitors;
