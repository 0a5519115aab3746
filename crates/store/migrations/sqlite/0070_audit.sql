-- The tamper-evident audit log. Every task event, document event and security event gets one
-- entry; entries are the leaves of an RFC 9162 Merkle tree whose signed checkpoints are kept
-- here and exported for safekeeping. All three tables are append-only.

-- Logins, login failures, logouts, access denials and reads of secure-zone records. No
-- restricted value is stored: the subject is an id, the detail a short code.
CREATE TABLE security_events (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    actor        INTEGER REFERENCES users (id),
    body         INTEGER REFERENCES organisations (id),
    subject_kind TEXT,
    subject_id   INTEGER,
    detail       TEXT
);
CREATE INDEX security_events_at ON security_events (at);

-- One row per leaf, numbered from 1 without gaps. `leaf` is the hex SHA-256 leaf hash of the
-- entry built from the source row; verification rebuilds it from that row.
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY,
    source TEXT    NOT NULL,
    row_id INTEGER NOT NULL,
    leaf   TEXT    NOT NULL,
    UNIQUE (source, row_id)
);

-- Signed tree heads, one per size, in the C2SP signed-note format.
CREATE TABLE audit_checkpoints (
    tree_size INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    root      TEXT    NOT NULL,
    note      TEXT    NOT NULL
);

CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security_events is append-only');
END;
CREATE TRIGGER security_events_no_delete BEFORE DELETE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security_events is append-only');
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;
