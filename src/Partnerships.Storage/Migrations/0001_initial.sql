-- One schema for SQLite and PostgreSQL. {{identity}} is the only per-store token:
-- SQLite "INTEGER PRIMARY KEY AUTOINCREMENT", PostgreSQL "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY".
-- Timestamps are UTC ISO-8601 text with fixed width (sortable and comparable as text on both stores).

CREATE TABLE network_categories (
    id              BIGINT PRIMARY KEY,
    parent_id       BIGINT NULL,
    name            TEXT NOT NULL,
    tier            INTEGER NOT NULL,
    vertical_id     BIGINT NOT NULL,
    sub_vertical_id BIGINT NULL
);

CREATE TABLE platforms (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE client_credentials (
    id           TEXT PRIMARY KEY,
    platform_id  TEXT NOT NULL REFERENCES platforms(id),
    client_id    TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    generation   INTEGER NOT NULL,
    label        TEXT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT NULL
);
CREATE INDEX ix_client_credentials_platform ON client_credentials(platform_id);

CREATE TABLE admin_keys (
    id          TEXT PRIMARY KEY,
    key_hash    TEXT NOT NULL UNIQUE,
    label       TEXT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT NULL
);

CREATE TABLE vertical_mappings (
    platform_id               TEXT NOT NULL REFERENCES platforms(id),
    partner_vertical_id       BIGINT NOT NULL,
    partner_sub_vertical_id   BIGINT NOT NULL,
    partner_vertical_name     TEXT NULL,
    partner_sub_vertical_name TEXT NULL,
    network_category_id       BIGINT NOT NULL,
    network_sub_vertical_id   BIGINT NOT NULL,
    updated_at                TEXT NOT NULL,
    PRIMARY KEY (platform_id, partner_vertical_id, partner_sub_vertical_id)
);

CREATE TABLE accounts (
    id                       TEXT PRIMARY KEY,
    platform_id              TEXT NOT NULL REFERENCES platforms(id),
    external_account_id      TEXT NOT NULL,
    brand                    TEXT NOT NULL,
    partner_vertical_id      BIGINT NOT NULL,
    partner_sub_vertical_id  BIGINT NOT NULL,
    network_sub_vertical_id  BIGINT NOT NULL,
    country_code             TEXT NOT NULL,
    store_identifier         TEXT NOT NULL,
    contact_email            TEXT NULL,
    status                   TEXT NOT NULL,
    relationship_status      TEXT NOT NULL,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    UNIQUE (platform_id, external_account_id)
);

CREATE TABLE marketplace_controls (
    account_id    TEXT PRIMARY KEY REFERENCES accounts(id),
    mcl_id        TEXT NOT NULL,
    name          TEXT NOT NULL,
    state_json    TEXT NOT NULL,
    network_json  TEXT NOT NULL,
    revision      BIGINT NOT NULL,
    content_hash  TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE pages (
    id               TEXT PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts(id),
    surface          TEXT NOT NULL,
    page_identifier  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (account_id, surface)
);

CREATE TABLE page_variants (
    id          TEXT PRIMARY KEY,
    page_id     TEXT NOT NULL REFERENCES pages(id),
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    name        TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX ix_page_variants_account ON page_variants(account_id);

CREATE TABLE layouts (
    id                  TEXT PRIMARY KEY,
    page_id             TEXT NOT NULL REFERENCES pages(id),
    account_id          TEXT NOT NULL REFERENCES accounts(id),
    layout_type         TEXT NOT NULL,
    primary_color       TEXT NOT NULL,
    background_color    TEXT NOT NULL,
    text_color          TEXT NOT NULL,
    close_button_color  TEXT NOT NULL,
    border_radius       INTEGER NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX ix_layouts_account ON layouts(account_id);

-- Idempotency scope is (platform, account, key); scope is '' for writes without an account (registration).
CREATE TABLE idempotency_keys (
    platform_id       TEXT NOT NULL,
    scope             TEXT NOT NULL,
    idem_key          TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    status_code       INTEGER NOT NULL,
    response_body     TEXT NOT NULL,
    response_headers  TEXT NOT NULL,
    dry_run           INTEGER NOT NULL,
    operation_id      TEXT NULL,
    created_at        TEXT NOT NULL,
    expires_at        TEXT NOT NULL,
    PRIMARY KEY (platform_id, scope, idem_key)
);
CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys(expires_at);

CREATE TABLE operations (
    id               TEXT PRIMARY KEY,
    platform_id      TEXT NOT NULL,
    account_id       TEXT NULL,
    type             TEXT NOT NULL,
    status           TEXT NOT NULL,
    request_id       TEXT NOT NULL,
    response_status  INTEGER NULL,
    response_body    TEXT NULL,
    error            TEXT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE audit_log (
    id               {{identity}},
    at               TEXT NOT NULL,
    request_id       TEXT NOT NULL,
    platform_id      TEXT NULL,
    credential_id    TEXT NULL,
    account_id       TEXT NULL,
    method           TEXT NOT NULL,
    path             TEXT NOT NULL,
    status_code      INTEGER NOT NULL,
    outcome          TEXT NOT NULL,
    dry_run          INTEGER NOT NULL,
    idem_key         TEXT NULL,
    hash_before      TEXT NULL,
    hash_after       TEXT NULL,
    summary          TEXT NULL
);
CREATE INDEX ix_audit_log_account ON audit_log(account_id, at);
CREATE INDEX ix_audit_log_platform ON audit_log(platform_id, at);
CREATE INDEX ix_audit_log_request ON audit_log(request_id);
