-- The language a subscriber's mails speak: the one the page spoke when they subscribed (a tag of
-- upstate_shared::Locale). Subscriptions made before languages hear English, as they did.
ALTER TABLE subscriptions ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
