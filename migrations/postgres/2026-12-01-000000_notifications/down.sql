ALTER TABLE maintenances DROP COLUMN reminded_at;
ALTER TABLE organizations DROP COLUMN reminder_minutes;
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
DROP TABLE notifications;
DROP TABLE subscription_services;
DROP TABLE subscriptions;
