## The `theodoi check` command: the integrity report of a database.

check-heading = Integrity check of the database { $database }
check-at = Checked at: { $at }
check-ran = Checks run:
check-name-sqlite-integrity = SQLite's own consistency check (PRAGMA integrity_check)
check-name-foreign-keys = References between tables: no row points to a missing row
check-name-event-sequences = The events of each task and each document are numbered from 1 without gaps
check-name-versions = A task's version equals the number of its events; a document's version equals its registration plus its corrections
check-name-read-model = The read tables (tasks, coordinating bodies, obligations, rolled-up progress, document task counts) equal a replay of the events
check-name-task-counts = The dashboard's task count tables equal a recount of the tasks
check-counted = Checked { $documents } documents, { $tasks } tasks, { $events } events.
check-sealed-unchecked = The histories of { $count } Mật and Tối mật tasks were not replayed because no secure-zone key was given; run again with --secure-key-file to check them too.
check-clean = Result: no findings.
check-found = Result: { $count } findings.
check-next-step = Back up the database before any repair and send this report to your technical team.
check-finding-sqlite-integrity = SQLite reported: { $message }
check-finding-foreign-key = Table { $table }: { $rows } rows whose column { $column } points to a missing row of table { $parent }.
check-finding-task-without-events = Task { $task } has no events.
check-finding-task-event-gap = Task { $task }: event { $expected } is missing (found { $found }).
check-finding-document-event-gap = Document { $document }: event { $expected } is missing (found { $found }).
check-finding-task-version = Task { $task } is at version { $version } but has { $events } events.
check-finding-document-version = Document { $document } is at version { $version } but has { $revisions } registrations and corrections.
check-finding-task-replay = Task { $task }: its events cannot be replayed ({ $error }).
check-finding-task-row = Task { $task }: the tasks table differs from the replay in the columns { $columns }.
check-finding-task-table = Task { $task }: the table { $table } differs from the replay.
check-finding-document-counts = Document { $document }: the columns { $columns } differ from the counted tasks.
check-finding-task-counts = Table { $table }, key { $key }: stores { $stored } tasks, but a recount gives { $recounted }.
