-- The inbox lists a body's open obligations of some kinds in due order. Through the index by
-- body alone, the Central Office's list of receipts read each of its 430,000 open evaluations
-- at a million tasks to find none; this index reads only the kinds asked for.
CREATE INDEX obligations_responsible_kind ON obligations (responsible, open, kind, due_at);
