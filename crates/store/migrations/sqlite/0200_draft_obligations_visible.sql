-- A draft is visible to its assigning body and that body's ancestors, so the obligations that
-- the assigning body owes on a draft count as visible from now on. Counted as hidden, they
-- were each looked up with their task whenever a body's dashboard was read: 21,644 open
-- obligations of the Central Office at a million tasks, 4 to 12 s per dashboard.
CREATE TEMPORARY TABLE moved_obligation_counts AS
SELECT o.responsible, t.confidentiality, o.due_at / 3600000 AS due_hour, COUNT(*) AS n
FROM tasks t JOIN obligations o ON o.task_id = t.id
WHERE t.status = 'draft' AND o.responsible = t.assigning_body AND o.open = 1 AND o.optional = 0
GROUP BY o.responsible, t.confidentiality, o.due_at / 3600000;

UPDATE open_obligation_counts
SET n = n - (SELECT m.n FROM moved_obligation_counts m
             WHERE m.responsible = open_obligation_counts.responsible
               AND m.confidentiality = open_obligation_counts.confidentiality
               AND m.due_hour = open_obligation_counts.due_hour)
WHERE visible = 0 AND EXISTS (SELECT 1 FROM moved_obligation_counts m
             WHERE m.responsible = open_obligation_counts.responsible
               AND m.confidentiality = open_obligation_counts.confidentiality
               AND m.due_hour = open_obligation_counts.due_hour);

INSERT INTO open_obligation_counts (responsible, visible, confidentiality, due_hour, n)
SELECT responsible, 1, confidentiality, due_hour, n FROM moved_obligation_counts WHERE n > 0
ON CONFLICT (responsible, visible, confidentiality, due_hour)
DO UPDATE SET n = open_obligation_counts.n + excluded.n;

DELETE FROM open_obligation_counts WHERE n = 0;
DROP TABLE moved_obligation_counts;
