-- A link token's detail: for an email change, the new address, which becomes the account's only
-- when the link sent to it is followed.
ALTER TABLE link_tokens ADD COLUMN detail TEXT;
