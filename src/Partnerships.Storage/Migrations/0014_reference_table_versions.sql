-- Version stamps for the tables every process caches: a platform's vertical mapping table (bumped by each mapping load,
-- in the load's own transaction) and the network taxonomy (one store-wide row, bumped by each taxonomy load). A reader
-- compares the stamp with its cached copy's and reads the rows again only when they differ.
ALTER TABLE platforms ADD COLUMN mapping_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE reference_versions (
    name     TEXT PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO reference_versions (name, version) VALUES ('network_taxonomy', 0);
