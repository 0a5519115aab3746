-- Task counts kept by the write path, so that the dashboard and the list's counts by state
-- add up a few thousand rows instead of counting a million tasks per request. Every command
-- that inserts or rewrites a row of `tasks` moves its counts in the same transaction
-- (crates/store/src/task_counts.rs), and `theodoi check` compares them with a recount.
--
-- A task that is in progress or not started and has a deadline is on time or overdue
-- depending on the day of the query. `task_tally_counts` judges it on the date stored in
-- `task_counts_pivot`: overdue when its deadline is before that date. A reader on another
-- day corrects the few tasks whose deadline lies between the two dates, and a scheduled job
-- moves the date forward each day, so the correction stays one day of deadlines.
--
-- Dates are TEXT `YYYY-MM-DD` like the columns of `tasks`. Rows whose count falls to zero
-- stay, so that a cell's row is created once.

CREATE TABLE task_counts_pivot (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    pivot TEXT    NOT NULL
);

-- state: the result state code judged on the pivot date, or '' for drafts and cancelled
-- tasks (result base `none`).
CREATE TABLE task_tally_counts (
    lead_body       BIGINT  NOT NULL,
    executing_unit  TEXT    NOT NULL,
    priority        TEXT    NOT NULL,
    confidentiality TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    n               BIGINT  NOT NULL,
    PRIMARY KEY (lead_body, executing_unit, priority, confidentiality, state)
);

-- Tasks with a deadline, by deadline and result base: upcoming deadlines and the months in
-- which deadlines were missed.
CREATE TABLE task_deadline_counts (
    deadline        TEXT    NOT NULL,
    result_base     TEXT    NOT NULL,
    confidentiality TEXT    NOT NULL,
    n               BIGINT  NOT NULL,
    PRIMARY KEY (deadline, result_base, confidentiality)
);

-- Tasks with a reported completion date, by that date and result base.
CREATE TABLE task_completion_counts (
    completed_on    TEXT    NOT NULL,
    result_base     TEXT    NOT NULL,
    confidentiality TEXT    NOT NULL,
    n               BIGINT  NOT NULL,
    PRIMARY KEY (completed_on, result_base, confidentiality)
);

-- A database without tasks gets its pivot row from its first task command, so that a new
-- database stays empty for `theodoi restore`.
INSERT INTO task_counts_pivot (id, pivot)
SELECT 1, date('now', '+7 hours') WHERE EXISTS (SELECT 1 FROM tasks);

INSERT INTO task_tally_counts (lead_body, executing_unit, priority, confidentiality, state, n)
SELECT t.lead_body, t.executing_unit, t.priority, t.confidentiality,
       CASE
           WHEN t.result_base IN ('in_progress', 'not_started') AND t.deadline IS NOT NULL THEN
               t.result_base || CASE WHEN t.deadline >= p.pivot THEN '_on_time' ELSE '_overdue' END
           WHEN t.result_base = 'none' THEN ''
           ELSE t.result_base
       END,
       COUNT(*)
FROM tasks t CROSS JOIN task_counts_pivot p
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO task_deadline_counts (deadline, result_base, confidentiality, n)
SELECT deadline, result_base, confidentiality, COUNT(*)
FROM tasks WHERE deadline IS NOT NULL
GROUP BY 1, 2, 3;

INSERT INTO task_completion_counts (completed_on, result_base, confidentiality, n)
SELECT completed_on, result_base, confidentiality, COUNT(*)
FROM tasks WHERE completed_on IS NOT NULL
GROUP BY 1, 2, 3;
