-- The roots of the perfect subtrees of the checkpointed tree, largest first, as hex joined by
-- commas. The next checkpoint goes on from them and reads only the entries added since,
-- instead of hashing millions of leaves again each hour. Checkpoints written before have none.
ALTER TABLE audit_checkpoints ADD COLUMN frontier TEXT;
