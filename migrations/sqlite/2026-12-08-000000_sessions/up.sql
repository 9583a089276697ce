-- A person's sessions, one per sign-in (the refresh-token family its tokens share, which every
-- access token names): when it began, when it was last used and from where, so that its person
-- can see it and end it (GET /api/v1/account/sessions).
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      TIMESTAMP NOT NULL,
    last_used_at    TIMESTAMP NOT NULL,
    client_address  TEXT,
    user_agent      TEXT,
    ended_at        TIMESTAMP
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
-- The sessions begun before this table: what their tokens tell (no address, no browser).
INSERT INTO sessions (id, user_id, created_at, last_used_at)
SELECT family_id, user_id, MIN(created_at), MAX(created_at)
FROM refresh_tokens
WHERE revoked_at IS NULL AND rotated_at IS NULL AND expires_at > CURRENT_TIMESTAMP
GROUP BY family_id, user_id;
