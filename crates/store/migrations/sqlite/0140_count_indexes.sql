-- Indexes that hold every column the list page's counts by result state read, for the two
-- filters that the count tables cannot answer, so those counts read no table row.

-- "Breached": the tasks whose breached_from lies before now, with their result state's
-- columns and the confidentiality that every reader's scope tests.
CREATE INDEX tasks_breached_state ON tasks (breached_from, result_base, deadline, confidentiality)
    WHERE breached_from IS NOT NULL;

-- Filters by status: the list still reads the index in deadline order; the counts now find
-- the rest of what they read in it too.
DROP INDEX tasks_status_deadline;
CREATE INDEX tasks_status_deadline ON tasks (status, deadline, id, result_base, confidentiality);
