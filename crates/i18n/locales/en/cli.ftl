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

cli-smtp-host-missing = The option { $options } works only with --smtp-host. Add --smtp-host (the SMTP server that sends e-mail) or remove those options.
cli-smtp-from-missing = --smtp-from is missing: with --smtp-host a sender address is required, such as --smtp-from theodoi@vptw.dcs.vn.
cli-smtp-from-invalid = The sender address --smtp-from { $value } is invalid. Enter it as theodoi@agency.vn or "Name <theodoi@agency.vn>".
cli-smtp-username-missing = --smtp-password is set but --smtp-username is missing. Add the SMTP login name, or remove the password if the server needs no login.
cli-public-url-invalid = --public-url { $value } is invalid: the address must start with http:// or https://, such as https://theodoi.vptw.dcs.vn.
cli-smtp-host-invalid = The SMTP server --smtp-host { $value } cannot be used with TLS: { $error }. Enter the host name as its certificate names it.
