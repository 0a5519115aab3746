-- Claims of scheduled job runs, as in the SQLite migration.

CREATE TABLE job_runs (
    job         TEXT   NOT NULL,
    period      TEXT   NOT NULL,
    claimed_by  TEXT   NOT NULL,
    claimed_at  BIGINT NOT NULL,
    lease_until BIGINT NOT NULL,
    finished_at BIGINT,
    PRIMARY KEY (job, period)
);
