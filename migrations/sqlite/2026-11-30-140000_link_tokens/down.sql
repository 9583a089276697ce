CREATE TABLE password_resets (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    CONSTRAINT password_resets_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
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
INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at, used_at)
    SELECT id, user_id, token_hash, created_at, expires_at, used_at
    FROM link_tokens WHERE purpose = 'password_reset';
INSERT INTO email_verifications (id, user_id, token_hash, created_at, expires_at, used_at)
    SELECT id, user_id, token_hash, created_at, expires_at, used_at
    FROM link_tokens WHERE purpose = 'email_verification';
DROP TABLE link_tokens;
