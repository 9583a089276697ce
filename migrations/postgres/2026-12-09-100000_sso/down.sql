DROP TABLE sso_pending;
DROP TABLE sso_configs;
