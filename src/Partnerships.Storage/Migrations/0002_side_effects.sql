-- Side effects of committed writes: the transactional outbox (webhooks, emails), the ordered downstream event feed,
-- the platforms' webhook endpoints and the accounts' payout setups.

CREATE TABLE outbox_messages (
    id               {{identity}},
    message_id       TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL,
    topic            TEXT NOT NULL,
    platform_id      TEXT NULL,
    account_id       TEXT NULL,
    operation_id     TEXT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    locked_by        TEXT NULL,
    locked_until     TEXT NULL,
    last_error       TEXT NULL,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT NULL
);
CREATE INDEX ix_outbox_due ON outbox_messages(status, next_attempt_at);
CREATE INDEX ix_outbox_operation ON outbox_messages(operation_id);

CREATE TABLE events (
    seq           {{identity}},
    event_id      TEXT NOT NULL UNIQUE,
    type          TEXT NOT NULL,
    platform_id   TEXT NULL,
    account_id    TEXT NULL,
    operation_id  TEXT NULL,
    payload       TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE webhook_endpoints (
    platform_id                 TEXT PRIMARY KEY REFERENCES platforms(id),
    url                         TEXT NOT NULL,
    secret                      TEXT NOT NULL,
    previous_secret             TEXT NULL,
    previous_secret_expires_at  TEXT NULL,
    status                      TEXT NOT NULL,
    consecutive_failures        INTEGER NOT NULL,
    disabled_reason             TEXT NULL,
    updated_at                  TEXT NOT NULL
);

CREATE TABLE payout_setups (
    account_id         TEXT PRIMARY KEY REFERENCES accounts(id),
    provider_account   TEXT NOT NULL,
    onboarding_url     TEXT NOT NULL,
    expires_at         TEXT NULL,
    status             TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
