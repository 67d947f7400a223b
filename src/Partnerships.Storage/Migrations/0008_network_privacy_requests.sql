-- Network privacy requests (opt-out, data deletion) a platform submits for one consumer. The identifier is never stored
-- in clear: identifier_hash is a keyed hash (HMAC-SHA256), sealed_identifier the SecretBox-sealed value the network's
-- privacy pipeline needs, set to NULL once the pipeline has taken the request or the retention window has passed.

CREATE TABLE network_privacy_requests (
    id                 TEXT PRIMARY KEY,
    platform_id        TEXT NOT NULL REFERENCES platforms(id),
    request_type       TEXT NOT NULL,
    identifier_kind    TEXT NOT NULL,
    identifier_hash    TEXT NOT NULL,
    sealed_identifier  TEXT NULL,
    status             TEXT NOT NULL,
    request_id         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    delivered_at       TEXT NULL,
    acknowledged_at    TEXT NULL,
    erased_at          TEXT NULL,
    erase_by           TEXT NOT NULL
);
CREATE INDEX ix_network_privacy_requests_platform ON network_privacy_requests(platform_id, created_at);
CREATE INDEX ix_network_privacy_requests_erase_by ON network_privacy_requests(erase_by);
