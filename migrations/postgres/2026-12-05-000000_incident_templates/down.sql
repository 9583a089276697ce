DROP TABLE incident_templates;
