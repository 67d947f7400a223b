-- Writes that call a third party run in phases (stage, call, record). A row here is an operation between its first and
-- its last phase: what is sent to the provider (frozen when staged, so a resume sends the very same request), the key
-- forwarded to it, and the lease of whoever is calling the provider now. The row is deleted in the transaction that
-- records the result; one unfinished row per account and operation type.
CREATE TABLE staged_operations (
    operation_id     TEXT PRIMARY KEY,
    type             TEXT NOT NULL,
    platform_id      TEXT NOT NULL,
    account_id       TEXT NOT NULL REFERENCES accounts(id),
    credential_id    TEXT NULL,
    request_id       TEXT NOT NULL,
    method           TEXT NOT NULL,
    path             TEXT NOT NULL,
    idem_key         TEXT NOT NULL,
    fingerprint      TEXT NOT NULL,
    provider_key     TEXT NOT NULL,
    provider_request TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    locked_by        TEXT NULL,
    locked_until     TEXT NULL,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (account_id, type)
);
CREATE INDEX ix_staged_operations_due ON staged_operations(next_attempt_at);
