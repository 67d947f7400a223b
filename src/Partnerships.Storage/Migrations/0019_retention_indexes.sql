-- The retention purge removes what is older than its window in small batches, oldest first; each batch is a range scan
-- of one of these indexes (audit_log(at) and idempotency_keys(expires_at) have theirs already). Partial indexes hold
-- only the rows a purge may take: finished operations, delivered or withdrawn messages.
CREATE INDEX ix_operations_finished ON operations(updated_at) WHERE status IN ('completed', 'failed');
CREATE INDEX ix_outbox_delivered ON outbox_messages(delivered_at) WHERE status = 'delivered';
CREATE INDEX ix_outbox_cancelled ON outbox_messages(created_at) WHERE status = 'cancelled';
CREATE INDEX ix_events_created ON events(created_at);
