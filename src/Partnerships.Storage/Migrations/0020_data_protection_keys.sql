-- The console's Data Protection key ring (cookie and anti-forgery keys), shared by every process on the store and kept
-- across restarts. Each row is one key's XML, its secret part sealed by the service's at-rest key (Secrets:EncryptionKey).
CREATE TABLE data_protection_keys (
    name        TEXT PRIMARY KEY,
    xml         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
