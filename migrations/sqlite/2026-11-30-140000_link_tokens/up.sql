-- Password-reset and address-confirmation links were two tables of the same shape: one table,
-- with the link's purpose, keeps them now (a token works only for its own purpose).
CREATE TABLE link_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    CONSTRAINT link_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX link_tokens_user_idx ON link_tokens (user_id);

INSERT INTO link_tokens (id, user_id, purpose, token_hash, created_at, expires_at, used_at)
    SELECT id, user_id, 'password_reset', token_hash, created_at, expires_at, used_at
    FROM password_resets;
INSERT INTO link_tokens (id, user_id, purpose, token_hash, created_at, expires_at, used_at)
    SELECT id, user_id, 'email_verification', token_hash, created_at, expires_at, used_at
    FROM email_verifications;
DROP TABLE password_resets;
DROP TABLE email_verifications;
