-- Summaries of each task's obligations, rewritten with the obligations in the same
-- transaction (obligation_summary.rs) and compared with a recount by `theodoi check`.

-- The earliest instant at which the task has a breached obligation, so that "breached at now"
-- is `breached_from < now`: the minimum (-2^63) when one is breached for good (met after its
-- due time, or closed unmet after it when not optional), otherwise the earliest due time of
-- the open, non-optional obligations, and NULL when there is none.
ALTER TABLE tasks ADD COLUMN breached_from INTEGER;
UPDATE tasks SET breached_from = s.breached_from
FROM (
    SELECT o.task_id,
           CASE WHEN MAX(CASE WHEN (o.met_at IS NOT NULL AND o.met_at > o.due_at)
                              OR (o.optional = 0 AND o.met_at IS NULL AND o.closed_at IS NOT NULL
                                  AND o.closed_at > o.due_at)
                         THEN 1 ELSE 0 END) = 1
                THEN -9223372036854775807 - 1
                ELSE MIN(CASE WHEN o.open = 1 AND o.optional = 0 THEN o.due_at END) END AS breached_from
    FROM obligations o
    GROUP BY o.task_id
) s
WHERE s.task_id = tasks.id;

-- Task lists sorted by deadline read this index in order; breached_from is in it so the
-- "breached" filter skips rows without reading the table.
CREATE INDEX tasks_deadline_breached ON tasks (deadline, id, breached_from);
-- Task lists filtered by status, in deadline order.
CREATE INDEX tasks_status_deadline ON tasks (status, deadline, id);

-- Open, non-optional obligations counted by responsible body, task confidentiality and due
-- hour (due_at / 3 600 000). `visible` is 1 when the responsible body leads, monitors,
-- assigns or coordinates the task and the task is not a draft, so every reader whose subtree
-- holds the responsible body sees the task.
CREATE TABLE open_obligation_counts (
    responsible     INTEGER NOT NULL,
    confidentiality TEXT    NOT NULL,
    visible         INTEGER NOT NULL,
    due_hour        INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (responsible, visible, confidentiality, due_hour)
);
INSERT INTO open_obligation_counts (responsible, visible, confidentiality, due_hour, n)
SELECT responsible, visible, confidentiality, due_hour, COUNT(*)
FROM (
    SELECT o.responsible,
           CASE WHEN t.status <> 'draft' AND (o.responsible IN (t.lead_body, t.monitoring_body, t.assigning_body)
                     OR EXISTS (SELECT 1 FROM task_coordinators c WHERE c.task_id = t.id AND c.org_id = o.responsible))
                THEN 1 ELSE 0 END AS visible,
           t.confidentiality,
           o.due_at / 3600000 AS due_hour
    FROM obligations o JOIN tasks t ON t.id = o.task_id
    WHERE o.open = 1 AND o.optional = 0
) counted
GROUP BY responsible, visible, confidentiality, due_hour;

-- The same obligations counted by confidentiality and due hour only, for readers who see
-- every body.
CREATE TABLE open_obligation_hours (
    confidentiality TEXT    NOT NULL,
    due_hour        INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (confidentiality, due_hour)
);
INSERT INTO open_obligation_hours (confidentiality, due_hour, n)
SELECT confidentiality, due_hour, SUM(n) FROM open_obligation_counts GROUP BY 1, 2;
