## Task list, saved views, Excel export.

ui-tasks-export = Export to Excel
ui-tasks-filters = Filters
ui-tasks-search = Search
ui-tasks-search-hint = Searches task content, document numbers and titles, with or without Vietnamese diacritics.
ui-tasks-any = All
ui-tasks-any-body = All bodies
ui-tasks-any-role-body = Body involved
ui-tasks-any-role-body-hint = Lead, coordinating, monitoring or assigning body.
ui-tasks-more-filters = More filters
ui-tasks-with-deadline = With a deadline
ui-tasks-without-deadline = Without a deadline
ui-tasks-document-filter = Only tasks of document { $symbol }
ui-tasks-apply = Filter
ui-tasks-clear = Clear filters
ui-tasks-sort-deadline = Earliest deadline first
ui-tasks-sort-updated = Recently updated first
ui-tasks-sort-newest = Recently entered first
ui-tasks-views = Saved views
ui-tasks-views-empty = You have no saved views yet. Name the current filters below to save them.
ui-tasks-view-name = View name
ui-tasks-view-save = Save current filters
ui-tasks-view-delete = Delete view “{ $name }”
ui-tasks-view-saved = View saved.
ui-tasks-view-deleted = View deleted.
ui-tasks-results = Results
ui-tasks-count = { $count ->
        [one] 1 task
       *[other] { $count } tasks
    }
ui-tasks-empty = No task matches these filters.
ui-tasks-col-number = No.
ui-tasks-col-symbol = Document number
ui-tasks-col-ordinal = Item
ui-tasks-col-updated = Last updated
ui-tasks-classified-content = Classified content
ui-tasks-subtask = Task delegated to a subordinate unit
ui-tasks-no-deadline = No deadline
ui-tasks-rollup = Rolled up from subordinate units: { $percent }%
ui-tasks-pages = Pages
ui-tasks-first-page = First page
ui-tasks-next-page = Next page
ui-tasks-sheet-name = Tasks
ui-tasks-export-too-many = The list has { $count } tasks, more than the { $max } rows one export can hold. Add filters and export again.
ui-tasks-date-hint = Type dates as day/month/year, for example 31/03/2026.
ui-tasks-date-invalid = “{ $field }” is not a valid date. Type it as day/month/year, for example 31/03/2026.
ui-org-search-label = Find a body or unit by name or code
ui-org-search-placeholder = Find a unit by name or code…
ui-org-search-results = Search results
ui-org-search-none = No body or unit found
