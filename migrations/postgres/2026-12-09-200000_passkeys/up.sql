-- Passkeys (WebAuthn, issue 22): a person's credentials, each as webauthn-rs serialises it
-- (public key, signature counter, backup state: no secret), with the name the person gave it.
-- `credential_id` (base64url) is unique across people: a credential belongs to one account.
CREATE TABLE passkeys (
    id             TEXT PRIMARY KEY NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    credential_id  TEXT NOT NULL,
    credential     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    last_used_at   TIMESTAMP,
    CONSTRAINT passkeys_credential_id_key UNIQUE (credential_id)
);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);
-- The server's half of a WebAuthn ceremony between its two requests (the challenge and what it
-- expects), so that any replica can finish it: used once, good for a few minutes. `user_id` is
-- NULL for a sign-in with a passkey alone (the authenticator names the person).
CREATE TABLE passkey_ceremonies (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('registration', 'sign_in', 'second_factor')),
    state       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX passkey_ceremonies_user_idx ON passkey_ceremonies (user_id);
