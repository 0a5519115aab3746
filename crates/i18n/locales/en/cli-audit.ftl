## The `theodoi audit` commands: verifying the audit log and exporting signed checkpoints.

cli-audit-key-unreadable = Cannot read the audit key file { $file }. Pass the key with --audit-key-file (or THEODOI_AUDIT_KEY_FILE), or a public key with --audit-public-key.
cli-audit-key-invalid = The audit key file { $file } is not a theodoi audit key. Use the file that theodoi serve created, or the output of theodoi audit public-key.
audit-verify-summary = Audit log of { $database }: { $entries } entries, { $checkpoints } stored checkpoints, root { $root }.
audit-verify-ok = Result: every entry matches its event and every checkpoint; the log has not been altered.
audit-verify-next-step = The audit log was altered. Keep a copy of the database as it is now and send this report to your security officer.
audit-problem-entry-missing = Entry { $seq } is missing: it was deleted, or the entries after it were renumbered.
audit-problem-entry-inserted = Entry { $seq } was inserted (table { $table }, row { $row }).
audit-problem-row-missing = Entry { $seq }: row { $row } of table { $table } was deleted.
audit-problem-entry-altered = Entry { $seq } was edited or reordered (table { $table }, row { $row }).
audit-problem-row-not-logged = Row { $row } of table { $table } has no audit entry: it was inserted behind the system's back.
audit-problem-checkpoint-invalid = The stored checkpoint of { $size } entries is invalid: { $reason }.
audit-problem-checkpoint-mismatch = The first { $size } entries differ from their signed checkpoint: an entry from number { $first } on was rewritten.
audit-problem-checkpoint-beyond-log = A signed checkpoint covers { $size } entries but the log has only { $entries }: entries were deleted at its end.
audit-exported-ok = The log extends the exported checkpoint of { $size } entries.
audit-exported-invalid = The exported checkpoint is invalid: { $reason }.
audit-exported-beyond-log = The exported checkpoint covers { $size } entries but the log has only { $entries }: entries were deleted.
audit-exported-inconsistent = The log does not extend the exported checkpoint of { $size } entries: its history was rewritten.
audit-checkpoint-written = Signed checkpoint of { $size } entries written to { $file }.
audit-checkpoint-file-missing = The exported checkpoint file { $file } was not found. Check the path given to --checkpoint.
audit-fault-columns-differ = its stored size or root differs from its signed note
audit-fault-malformed-key = the key is not in the form NAME+KEYID+BASE64
audit-fault-malformed-note = it is not a signed note of origin, tree size and root hash
audit-fault-no-signature = it carries no signature of the key { $key }
audit-fault-invalid-signature = its signature does not match its content
