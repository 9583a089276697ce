ALTER TABLE subscriptions DROP COLUMN locale;
