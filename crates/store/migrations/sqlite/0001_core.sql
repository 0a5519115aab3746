-- Core schema. Instants are INTEGER milliseconds since the Unix epoch (UTC); calendar dates
-- are TEXT 'YYYY-MM-DD', which sorts correctly; flags are INTEGER 0/1. The PostgreSQL schema
-- keeps the same columns so that one set of queries serves both.

CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    name_vi       TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    parent_id     INTEGER REFERENCES organisations (id),
    province_code INTEGER,
    search        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Every (ancestor, descendant) pair, the organisation itself included, so that "this body and
-- everything below it" is one indexed lookup.
CREATE TABLE org_closure (
    ancestor   INTEGER NOT NULL REFERENCES organisations (id),
    descendant INTEGER NOT NULL REFERENCES organisations (id),
    depth      INTEGER NOT NULL,
    PRIMARY KEY (ancestor, descendant)
);
CREATE INDEX org_closure_descendant ON org_closure (descendant);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    full_name     TEXT    NOT NULL,
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    roles         TEXT    NOT NULL,
    clearance     TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    language      TEXT    NOT NULL DEFAULT 'vi',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE catalogue_entries (
    axis     TEXT    NOT NULL,
    code     TEXT    NOT NULL,
    name_vi  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    active   INTEGER NOT NULL,
    position INTEGER NOT NULL,
    version  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (axis, code)
);

-- Append-only history of the administrator's calendar: each save adds a revision; the latest
-- revision of each year is in force. Working hours are saved the same way with year 0.
CREATE TABLE calendar_revisions (
    revision   INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    days       TEXT    NOT NULL,
    hours      TEXT,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id)
);
CREATE INDEX calendar_revisions_year ON calendar_revisions (year, revision);

CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT    NOT NULL,
    symbol              TEXT    NOT NULL,
    issue_year          INTEGER NOT NULL,
    title               TEXT    NOT NULL,
    issue_date          TEXT    NOT NULL,
    signer              TEXT    NOT NULL,
    issuing_body        INTEGER NOT NULL REFERENCES organisations (id),
    assigning_authority INTEGER NOT NULL REFERENCES organisations (id),
    monitoring_body     INTEGER NOT NULL REFERENCES organisations (id),
    confidentiality     TEXT    NOT NULL,
    summary             TEXT,
    entry_due           INTEGER NOT NULL,
    calendar_version    TEXT    NOT NULL,
    registered_by       INTEGER NOT NULL REFERENCES users (id),
    registered_body     INTEGER NOT NULL REFERENCES organisations (id),
    registered_at       INTEGER NOT NULL,
    task_count          INTEGER NOT NULL DEFAULT 0,
    transferred_count   INTEGER NOT NULL DEFAULT 0,
    search              TEXT    NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (symbol, issue_year)
);
CREATE INDEX documents_issue ON documents (issue_date, id);
CREATE INDEX documents_entry ON documents (transferred_count, entry_due);

CREATE TABLE document_events (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor       INTEGER REFERENCES users (id),
    body        INTEGER REFERENCES organisations (id),
    reason      TEXT,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    UNIQUE (document_id, seq)
);

CREATE TABLE task_groups (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents (id),
    name           TEXT    NOT NULL,
    classification TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX task_groups_document ON task_groups (document_id, position);

-- Read model of tasks: one row per task, rewritten in the transaction that appends its events.
-- The result state depends on the date, so only its date-independent part (result_base) is
-- stored; queries combine it with the deadline and today's date.
CREATE TABLE tasks (
    id                   INTEGER PRIMARY KEY,
    document_id          INTEGER NOT NULL REFERENCES documents (id),
    group_id             INTEGER REFERENCES task_groups (id),
    parent_id            INTEGER REFERENCES tasks (id),
    ordinal              INTEGER NOT NULL,
    content              TEXT,
    lead_body            INTEGER NOT NULL REFERENCES organisations (id),
    monitoring_body      INTEGER NOT NULL REFERENCES organisations (id),
    assigning_body       INTEGER NOT NULL REFERENCES organisations (id),
    executing_unit       TEXT    NOT NULL,
    scope                TEXT    NOT NULL,
    priority             TEXT    NOT NULL,
    other_class          TEXT,
    confidentiality      TEXT    NOT NULL,
    deadline             TEXT,
    status               TEXT    NOT NULL,
    result_base          TEXT    NOT NULL,
    percent              INTEGER,
    rollup_percent       INTEGER,
    subtask_count        INTEGER NOT NULL DEFAULT 0,
    first_transferred_at INTEGER,
    completed_on         TEXT,
    search               TEXT    NOT NULL,
    version              INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX tasks_document ON tasks (document_id, ordinal);
CREATE INDEX tasks_parent ON tasks (parent_id);
CREATE INDEX tasks_lead ON tasks (lead_body, result_base, deadline);
CREATE INDEX tasks_monitoring ON tasks (monitoring_body, result_base, deadline);
CREATE INDEX tasks_result ON tasks (result_base, deadline);
CREATE INDEX tasks_deadline ON tasks (deadline, id);
CREATE INDEX tasks_updated ON tasks (updated_at, id);

CREATE TABLE task_coordinators (
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    org_id  INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (task_id, org_id)
);
CREATE INDEX task_coordinators_org ON task_coordinators (org_id);

-- The history of every task; never updated or deleted (see the triggers below).
CREATE TABLE task_events (
    id      INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    seq     INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    actor   INTEGER REFERENCES users (id),
    body    INTEGER REFERENCES organisations (id),
    reason  TEXT,
    kind    TEXT    NOT NULL,
    payload TEXT    NOT NULL,
    UNIQUE (task_id, seq)
);

CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events
BEGIN
    SELECT RAISE(ABORT, 'task_events is append-only');
END;
CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events
BEGIN
    SELECT RAISE(ABORT, 'task_events is append-only');
END;
CREATE TRIGGER document_events_no_update BEFORE UPDATE ON document_events
BEGIN
    SELECT RAISE(ABORT, 'document_events is append-only');
END;
CREATE TRIGGER document_events_no_delete BEFORE DELETE ON document_events
BEGIN
    SELECT RAISE(ABORT, 'document_events is append-only');
END;

-- Read model of obligations, rewritten with the task. open = 1 while neither met nor closed.
CREATE TABLE obligations (
    task_id          INTEGER NOT NULL REFERENCES tasks (id),
    position         INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    detail           TEXT    NOT NULL,
    responsible      INTEGER NOT NULL REFERENCES organisations (id),
    opened_at        INTEGER NOT NULL,
    due_at           INTEGER NOT NULL,
    met_at           INTEGER,
    closed_at        INTEGER,
    optional         INTEGER NOT NULL,
    open             INTEGER NOT NULL,
    calendar_version TEXT    NOT NULL,
    PRIMARY KEY (task_id, position)
);
CREATE INDEX obligations_open ON obligations (open, due_at);
CREATE INDEX obligations_responsible ON obligations (responsible, open, due_at);

CREATE TABLE idempotency_keys (
    user_id       INTEGER NOT NULL REFERENCES users (id),
    key           TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    resource_kind TEXT    NOT NULL,
    resource_id   INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
