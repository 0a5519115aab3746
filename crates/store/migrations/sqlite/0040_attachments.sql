-- Files attached to progress updates. The bytes live here with their SHA-256, so a backup of
-- the database holds them too. One uploader sending the same bytes under the same name for the
-- same task stores them once, which makes a repeated form submission harmless.

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES tasks (id),
    uploaded_by  INTEGER NOT NULL REFERENCES users (id),
    body         INTEGER NOT NULL REFERENCES organisations (id),
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (task_id, uploaded_by, sha256, file_name)
);
CREATE INDEX attachments_task ON attachments (task_id);
