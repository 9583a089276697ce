-- Telling people (issue 15). A subscription is someone who hears about an org's incidents and
-- maintenance: a visitor who subscribed (by email, or by a webhook with a contact address), or
-- a team integration an admin set up (Slack, Discord, Teams, Mattermost, a signed webhook).
CREATE TABLE subscriptions (
    id               TEXT PRIMARY KEY NOT NULL,
    org_id           TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- 'subscriber' (opted in from the public page) or 'team' (set up by an admin).
    audience         TEXT NOT NULL,
    -- 'email', 'webhook', 'slack', 'discord', 'teams' or 'mattermost'.
    channel          TEXT NOT NULL,
    -- The email address (lowercase) or the URL messages go to.
    target           TEXT NOT NULL,
    -- Who hears about a webhook that keeps failing.
    contact_email    TEXT,
    -- An integration's name in the dashboard.
    name             TEXT,
    -- A webhook's signing secret (`whsec_...`).
    secret           TEXT,
    -- The event types it hears (comma-separated), or NULL for all of them.
    events           TEXT,
    -- The hash of the token in its links (confirm, manage, unsubscribe).
    token_hash       TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    -- Subscribers hear nothing before they follow their confirmation link.
    confirmed_at     TIMESTAMP,
    -- When its last confirmation mail went out (a repeated subscribe sends at most one a while).
    confirmation_sent_at TIMESTAMP,
    failures         INTEGER NOT NULL DEFAULT 0,
    disabled_at      TIMESTAMP,
    disabled_reason  TEXT,
    CONSTRAINT subscriptions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT subscriptions_target_key UNIQUE (org_id, audience, channel, target)
);
CREATE INDEX subscriptions_org_idx ON subscriptions (org_id, audience, created_at);

-- A subscription limited to some services; none listed: all of them.
CREATE TABLE subscription_services (
    subscription_id  TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    service_id       TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    PRIMARY KEY (subscription_id, service_id)
);
CREATE INDEX subscription_services_service_idx ON subscription_services (service_id);

-- Something to tell (an incident created, updated, resolved; a maintenance window scheduled,
-- about to start, started, completed): written in the transaction of the change, then fanned
-- out by a worker into one delivery per subscription that hears it.
CREATE TABLE notifications (
    id               TEXT PRIMARY KEY NOT NULL,
    org_id           TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event            TEXT NOT NULL,
    subject_id       TEXT NOT NULL,
    -- The services it is about (JSON list of ids): subscribers limited to others do not hear it.
    service_ids      TEXT NOT NULL,
    -- What to tell, as JSON (upstate_notify::Notice).
    notice           TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    locked_until     TIMESTAMP,
    fanned_out_at    TIMESTAMP
);
CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE fanned_out_at IS NULL;

-- One notification to one subscription: unique, so fanning out twice (a crash, two replicas)
-- still delivers once.
CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY NOT NULL,
    org_id           TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    notification_id  TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    subscription_id  TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    created_at       TIMESTAMP NOT NULL,
    available_at     TIMESTAMP NOT NULL,
    locked_until     TIMESTAMP,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    delivered_at     TIMESTAMP,
    -- Given up on (after a day of retries, or its subscription was disabled).
    abandoned_at     TIMESTAMP,
    CONSTRAINT deliveries_once_key UNIQUE (notification_id, subscription_id)
);
CREATE INDEX deliveries_pending_idx ON deliveries (available_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX deliveries_subscription_idx ON deliveries (subscription_id, created_at);

-- Each attempt of a delivery, for the delivery log.
CREATE TABLE delivery_attempts (
    id               TEXT PRIMARY KEY NOT NULL,
    delivery_id      TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    subscription_id  TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    at               TIMESTAMP NOT NULL,
    status_code      INTEGER,
    latency_ms       BIGINT NOT NULL,
    error            TEXT
);
CREATE INDEX delivery_attempts_subscription_idx ON delivery_attempts (subscription_id, at);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id);

-- How long before a maintenance window starts its subscribers hear that it will.
ALTER TABLE organizations ADD COLUMN reminder_minutes INTEGER NOT NULL DEFAULT 60;
-- Whether that reminder was sent.
ALTER TABLE maintenances ADD COLUMN reminded_at TIMESTAMP;
