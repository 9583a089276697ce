-- Two-factor sign-in with TOTP (issue 22). The secret is sealed by the server's secrets key
-- (api/src/auth/sealed.rs), never stored in clear, and never exported. `last_used_step` is the
-- RFC 6238 time step of the last code accepted: a code of that step or an earlier one is
-- refused (replay). A row whose `confirmed_at` is NULL is an enrolment not yet confirmed.
CREATE TABLE totp_credentials (
    user_id         TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret   TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    confirmed_at    TIMESTAMP,
    last_used_step  BIGINT
);
-- Ten single-use codes per person, stored as their SHA-256.
CREATE TABLE recovery_codes (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);
-- The link between a sign-in's two steps: after the password, a token (stored hashed) that is
-- good for one use within a few minutes.
CREATE TABLE login_challenges (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    CONSTRAINT login_challenges_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX login_challenges_user_idx ON login_challenges (user_id);
