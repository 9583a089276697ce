-- An account's email address is verified by following a link sent to it. Accounts made before
-- verification existed count as verified.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;
UPDATE users SET email_verified_at = created_at;

CREATE TABLE email_verifications (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    CONSTRAINT email_verifications_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX email_verifications_user_idx ON email_verifications (user_id);
