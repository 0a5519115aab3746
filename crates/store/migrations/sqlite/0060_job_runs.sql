-- One row per run of a scheduled job and period, so that when several server processes share
-- the database each period's run happens once. A process claims a run by inserting its row,
-- or by taking over a row whose lease ran out before it finished (its process died).
-- Instants are INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE job_runs (
    job         TEXT    NOT NULL,
    period      TEXT    NOT NULL,
    claimed_by  TEXT    NOT NULL,
    claimed_at  INTEGER NOT NULL,
    lease_until INTEGER NOT NULL,
    finished_at INTEGER,
    PRIMARY KEY (job, period)
);
