-- Indexes for the dashboard's aggregates.

-- Covers every column the per-body, per-classification and per-state counts read, in the
-- order they group by, so that counting every task scans this index and never the table.
CREATE INDEX tasks_tally ON tasks (lead_body, executing_unit, priority, result_base, deadline, confidentiality);

-- Completions per month for the trend chart.
CREATE INDEX tasks_completed ON tasks (result_base, completed_on);
