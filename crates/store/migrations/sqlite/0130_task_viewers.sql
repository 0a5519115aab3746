-- Which bodies see each task, kept by the write path (task_viewers.rs) and compared with a
-- recount by `theodoi check`. A body sees a task when it or a body below it leads, monitors,
-- assigns or coordinates the task; a draft is seen only on the assigning side. A reader
-- limited to one body's subtree then reads one index range instead of testing four columns
-- and the coordinators of every task.
CREATE TABLE task_viewers (
    org_id  INTEGER NOT NULL REFERENCES organisations (id),
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (org_id, task_id)
) WITHOUT ROWID;
INSERT INTO task_viewers (org_id, task_id)
SELECT DISTINCT c.ancestor, b.task_id
FROM (
    SELECT id AS task_id, assigning_body AS body FROM tasks
    UNION ALL SELECT id, lead_body FROM tasks WHERE status <> 'draft'
    UNION ALL SELECT id, monitoring_body FROM tasks WHERE status <> 'draft'
    UNION ALL SELECT k.task_id, k.org_id FROM task_coordinators k
        JOIN tasks t ON t.id = k.task_id WHERE t.status <> 'draft'
) b
JOIN org_closure c ON c.descendant = b.body;

-- Rewriting one task's rows finds them by task.
CREATE INDEX task_viewers_task ON task_viewers (task_id);
