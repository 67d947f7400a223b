-- Operator actions in the audit log (who did what to which object, before and after), and admin keys that rotate on
-- their own. The partner-write columns stay as they are; operator entries leave dry_run 0 and the hash columns empty.

ALTER TABLE audit_log ADD COLUMN actor TEXT NULL;
ALTER TABLE audit_log ADD COLUMN action TEXT NULL;
ALTER TABLE audit_log ADD COLUMN target TEXT NULL;
ALTER TABLE audit_log ADD COLUMN before_summary TEXT NULL;
ALTER TABLE audit_log ADD COLUMN after_summary TEXT NULL;
CREATE INDEX ix_audit_log_actor ON audit_log(actor, at);
CREATE INDEX ix_audit_log_at ON audit_log(at);

ALTER TABLE admin_keys ADD COLUMN rotated_at TEXT NULL;

-- The embedded default's admin key used to be derived from the token-signing key, so anyone holding that key could
-- compute it. It is removed: admin keys are random now, and the first start of the embedded default issues one.
DELETE FROM admin_keys WHERE id = '9c3533cc-5dc2-8e71-88f6-8003f90bf931';
