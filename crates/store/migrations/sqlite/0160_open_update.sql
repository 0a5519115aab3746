-- 1 while the task has a progress update that is drafted, edited or returned and not yet
-- approved. The inbox finds a body's open updates in the partial index below instead of
-- searching the events of every task the body leads.
ALTER TABLE tasks ADD COLUMN open_update INTEGER NOT NULL DEFAULT 0;

UPDATE tasks SET open_update = 1
WHERE EXISTS (
    SELECT 1 FROM task_events e
    WHERE e.task_id = tasks.id
      AND e.kind IN ('update_drafted', 'update_edited', 'update_returned')
      AND NOT EXISTS (
          SELECT 1 FROM task_events a
          WHERE a.task_id = tasks.id AND a.kind = 'update_approved' AND a.seq > e.seq
      )
);

CREATE INDEX tasks_open_update ON tasks (lead_body, updated_at, id) WHERE open_update = 1;
