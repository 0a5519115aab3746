## Command line: backup, restore, moving data between SQLite and PostgreSQL.

cli-backup-done = Backed up { $tables } tables, { $rows } rows to { $file }.
cli-restore-done = Restored { $tables } tables, { $rows } rows from { $file } into { $database }.
cli-migrate-done = Copied { $tables } tables, { $rows } rows from { $from } to { $to }; row counts and hashes match in every table.
cli-migrate-mismatch = The target differs from the source in { $count } tables: { $tables }. Do not use the target database; find the cause, then copy again with --force.
cli-target-not-empty = The target database { $database } already contains data (table { $table } has { $rows } rows), so it is not overwritten. Use an empty database, or add --force to delete all its data before the copy.
cli-file-exists = The file { $file } already exists. Choose another file name, or add --force to overwrite it.
cli-file-missing = The backup file { $file } was not found. Check the path.
cli-database-missing = The SQLite database file { $file } was not found. Check --data-dir or --database-url; the demo database is data/demo.db.
cli-same-database = The source and the target are the same database. Choose another target.
cli-not-theodoi = { $database } is not a theodoi database: it has no _sqlx_migrations table.
cli-schema-older = { $database } has schema version { $version }, older than this program's { $expected }. Run `theodoi migrate` on that database first.
cli-schema-newer = { $database } has schema version { $version }, written by a newer release of theodoi. Use the release that wrote it, or a newer one.

cli-column-table = Table
cli-column-rows = Rows
cli-column-hash = SHA-256
cli-column-source-rows = Source rows
cli-column-target-rows = Target rows
cli-column-source-hash = Source SHA-256
cli-column-target-hash = Target SHA-256
cli-column-result = Result
cli-match = match
cli-mismatch = DIFFERENT

cli-progress-backup = Backup
cli-progress-restore = Restore
cli-progress-copy = Copy
cli-progress-verify = Verify
cli-progress-rows = rows
