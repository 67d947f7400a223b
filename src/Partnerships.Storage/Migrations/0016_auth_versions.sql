-- A store-wide version of the partner credentials: every issue, rotation and revocation bumps it in its own
-- transaction, so each process can keep a copy of which credentials are valid and notice any change with one tiny read.
CREATE TABLE auth_versions (
    name     TEXT PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO auth_versions (name, version) VALUES ('credentials', 0);
