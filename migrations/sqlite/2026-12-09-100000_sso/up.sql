-- Single sign-on with OpenID Connect, per org (issue 22). One provider per org, set by its
-- owners. The client secret is sealed by the server's secrets key (api/src/auth/sealed.rs),
-- never stored in clear, never answered, never exported. `email_domains` holds the allowed
-- domains, lowercased, one per line; `sso_only` refuses password sign-in to the org's members.
CREATE TABLE sso_configs (
    org_id          TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    issuer_url      TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    sealed_secret   TEXT NOT NULL,
    email_domains   TEXT NOT NULL,
    default_role    TEXT NOT NULL,
    sso_only        BOOLEAN NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
-- Sign-ins under way: what the callback needs, kept server-side (so any replica can finish
-- what another started). `state_hash` is the SHA-256 of the `state` sent to the provider; a row
-- is used once (`used_at`) and only until `expires_at`.
CREATE TABLE sso_pending (
    id              TEXT PRIMARY KEY NOT NULL,
    org_id          TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    state_hash      TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    pkce_verifier   TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    used_at         TIMESTAMP,
    CONSTRAINT sso_pending_state_hash_key UNIQUE (state_hash)
);
CREATE INDEX sso_pending_org_idx ON sso_pending (org_id);
CREATE INDEX sso_pending_expires_idx ON sso_pending (expires_at);
