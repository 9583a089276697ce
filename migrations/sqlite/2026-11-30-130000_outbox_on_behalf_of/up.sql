-- Who a message is sent on behalf of (the person who invited, ...): the store counts a person's
-- mails over the last hour in the database, so the limit holds across replicas.
ALTER TABLE outbox ADD COLUMN on_behalf_of TEXT;
CREATE INDEX outbox_on_behalf_of ON outbox (on_behalf_of, created_at);
