-- Client-secret rotation with overlap: the previous secret's hash keeps working until it expires.
ALTER TABLE client_credentials ADD COLUMN previous_secret_hash TEXT NULL;
ALTER TABLE client_credentials ADD COLUMN previous_secret_expires_at TEXT NULL;

-- Token-signing keys, shared by every process of the store. key_sealed is sealed with the secrets key (never clear).
-- One current key (retired_at NULL) signs; a retired key still verifies for one token lifetime after retired_at.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    key_sealed  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT NULL
);
CREATE INDEX ix_signing_keys_retired ON signing_keys(retired_at);
