-- The task counts of migration 0110 per body that sees the tasks (`task_viewers`), so that
-- a reader limited to one body's subtree adds up that body's rows instead of counting its
-- tasks. The write path moves a task's counts for every body that sees it, before and after
-- the command, in the same transaction (crates/store/src/task_counts/), and `theodoi check`
-- compares the table with a recount. States are judged on the pivot date as in
-- `task_tally_counts`.
CREATE TABLE task_viewer_tally_counts (
    org_id          BIGINT  NOT NULL,
    lead_body       BIGINT  NOT NULL,
    executing_unit  TEXT    NOT NULL,
    priority        TEXT    NOT NULL,
    confidentiality TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    n               BIGINT  NOT NULL,
    PRIMARY KEY (org_id, lead_body, executing_unit, priority, confidentiality, state)
);

INSERT INTO task_viewer_tally_counts
    (org_id, lead_body, executing_unit, priority, confidentiality, state, n)
SELECT v.org_id, t.lead_body, t.executing_unit, t.priority, t.confidentiality,
       CASE
           WHEN t.result_base IN ('in_progress', 'not_started') AND t.deadline IS NOT NULL THEN
               t.result_base || CASE WHEN t.deadline >= p.pivot THEN '_on_time' ELSE '_overdue' END
           WHEN t.result_base = 'none' THEN ''
           ELSE t.result_base
       END,
       COUNT(*)
FROM task_viewers v JOIN tasks t ON t.id = v.task_id CROSS JOIN task_counts_pivot p
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TABLE task_viewer_deadline_counts (
    org_id          BIGINT  NOT NULL,
    deadline        TEXT    NOT NULL,
    result_base     TEXT    NOT NULL,
    confidentiality TEXT    NOT NULL,
    n               BIGINT  NOT NULL,
    PRIMARY KEY (org_id, deadline, result_base, confidentiality)
);

INSERT INTO task_viewer_deadline_counts (org_id, deadline, result_base, confidentiality, n)
SELECT v.org_id, t.deadline, t.result_base, t.confidentiality, COUNT(*)
FROM task_viewers v JOIN tasks t ON t.id = v.task_id
WHERE t.deadline IS NOT NULL
GROUP BY 1, 2, 3, 4;

CREATE TABLE task_viewer_completion_counts (
    org_id          BIGINT  NOT NULL,
    completed_on    TEXT    NOT NULL,
    result_base     TEXT    NOT NULL,
    confidentiality TEXT    NOT NULL,
    n               BIGINT  NOT NULL,
    PRIMARY KEY (org_id, completed_on, result_base, confidentiality)
);

INSERT INTO task_viewer_completion_counts (org_id, completed_on, result_base, confidentiality, n)
SELECT v.org_id, t.completed_on, t.result_base, t.confidentiality, COUNT(*)
FROM task_viewers v JOIN tasks t ON t.id = v.task_id
WHERE t.completed_on IS NOT NULL
GROUP BY 1, 2, 3, 4;
