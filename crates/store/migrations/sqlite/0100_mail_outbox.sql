-- E-mail notifications. A user may have an e-mail address; without one they get no e-mail.
--
-- The outbox holds one row per message and recipient, written in the transaction of the event
-- that causes it, so a rolled-back command sends nothing and a committed one is not lost. A
-- row names only ids (the event, or the day of a digest, and the recipient): the text is
-- built when the message is sent, from what the recipient may see then, so nothing of a
-- classified task is stored here. Instants are INTEGER milliseconds since the Unix epoch.
--
-- status: pending (waiting or retrying), sent, dropped (the recipient may no longer see the
-- task or has no address), failed (the attempts ran out).

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    recipient       INTEGER NOT NULL REFERENCES users (id),
    event_id        INTEGER REFERENCES task_events (id),
    digest_day      TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    lease_until     INTEGER,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    last_error      TEXT,
    CHECK ((event_id IS NULL) <> (digest_day IS NULL)),
    UNIQUE (event_id, recipient),
    UNIQUE (digest_day, recipient)
);
CREATE INDEX mail_outbox_pending ON mail_outbox (status, next_attempt_at);
