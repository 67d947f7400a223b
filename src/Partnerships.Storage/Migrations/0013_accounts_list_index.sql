-- GET /v1/partnership/accounts: a platform's accounts newest first, (created_at, id) descending, read from a cursor
-- onwards. Both stores walk this index backwards, so a page costs its own rows whatever the platform's size.
CREATE INDEX ix_accounts_platform_created ON accounts(platform_id, created_at, id);
