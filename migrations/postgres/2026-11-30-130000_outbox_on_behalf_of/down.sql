DROP INDEX outbox_on_behalf_of;
ALTER TABLE outbox DROP COLUMN on_behalf_of;
