-- The list page's counts by result state for a filter by status, which the count tables
-- cannot answer, read this index alone: the list still reads it in deadline order, and the
-- counts now find the rest of what they read in it too.
DROP INDEX tasks_status_deadline;
CREATE INDEX tasks_status_deadline ON tasks (status, deadline, id, result_base, confidentiality);
