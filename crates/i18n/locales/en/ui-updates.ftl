## Interface: progress updates, approval, delegation to units, attached files.

ui-updates-new-title = Report progress
ui-updates-edit-title = Edit progress update
ui-updates-return-title = Return progress update
ui-updates-delegate-title = Delegate to a unit
ui-updates-refused-title = The action could not be done
ui-updates-back = ← Back
ui-updates-cancel = Cancel
ui-updates-choose = — Choose —
ui-updates-number = Update { $number }
ui-updates-task-ordinal = task { $number }
ui-updates-task-status = Status
ui-updates-no-deadline = No deadline
ui-updates-classified-content = Content not shown (task of a classified document)
ui-updates-due-at = Due: { $at }
ui-updates-date-invalid = “{ $field }” is not a valid date. Enter it as day/month/year, for example 31/03/2026.
ui-updates-fix-fields = { $count ->
        [one] Please correct the field marked below.
       *[other] Please correct the { $count } fields marked below.
    }

ui-updates-status-not-started = Not started
ui-updates-status-in-progress = In progress
ui-updates-status-completed = Completed
ui-updates-status-done-not-completed = Done but not completed
ui-updates-state-awaiting-approval = Awaiting approval
ui-updates-state-approved = Approved
ui-updates-state-returned = Returned for correction
ui-updates-rating-good = Good
ui-updates-rating-satisfactory = Satisfactory
ui-updates-rating-unsatisfactory = Unsatisfactory
ui-updates-channel-system = Through the system
ui-updates-channel-report = Through a report
ui-updates-channel-meeting = At a meeting
ui-updates-channel-phone = By phone
ui-updates-channel-online-meeting = Online meeting
ui-updates-channel-email = Email
ui-updates-channel-fax = Fax
ui-updates-channel-other = Other means

ui-updates-current-state = Update status:
ui-updates-return-reason = Reason for return
ui-updates-edit-approved-warning = This update has been approved. Editing it voids the approval, and it must be approved again.
ui-updates-previous = Latest approved update: { $summary }
ui-updates-classified-hint = Tasks of classified documents report only the outcome, “Completed” or “Done but not completed”, and the date execution ended, without details.
ui-updates-percent-label = Percentage done (%)
ui-updates-percent-hint = From 0 to 100. “Not started” is 0; “Completed” is set to 100.
ui-updates-percent-invalid = The percentage done must be a whole number from 0 to 100.
ui-updates-completion-hint = Only for “Completed” or “Done but not completed”; as day/month/year, for example 31/03/2026.
ui-updates-edit-reason = Reason for editing an approved update
ui-updates-edit-reason-hint = Required: the reason is kept in the task's history.
ui-updates-products-hint = Each product has a name and may carry one file (PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP or TIFF image, or ZIP), up to { $max } per file. Tick “Remove this product” to drop a row.
field-products-name = Product name
field-products-file = Product file
ui-updates-product-name = Product name
ui-updates-remove-product = Remove this product
ui-updates-add-product = Add a product
ui-updates-submit = Send for approval
ui-updates-save = Save and send for approval
ui-updates-approval-hint = An update counts only once the body's focal approver approves it.

ui-updates-file-too-large = The file “{ $name }” is larger than { $max }. Compress or split it, then send it again.
ui-updates-file-type = The file “{ $name }” is not of an accepted type. Send a PDF, Word, Excel, PowerPoint or OpenDocument file, an image (PNG, JPEG, GIF, WebP, TIFF) or a ZIP archive.
ui-updates-file-empty = The file “{ $name }” is empty. Choose the file again.
ui-updates-file-content = The content of “{ $name }” does not match its file name extension. Check the file, then send it again.
ui-updates-file-unnamed = unnamed file
ui-updates-form-too-large = The files sent together exceed { $max } in total and were not saved. Send fewer files now and add the rest in a later edit.
ui-updates-form-unreadable = The form could not be read. Reload the page and send it again.
ui-updates-form-already-sent = This form was already sent with different content. Reload the page to see the current data, then enter your changes again.
ui-updates-csrf-invalid = Your session has changed, so the form was not accepted. Reload the page and send it again.
ui-updates-attachment-unknown = This attached file does not belong to the task. Choose the file again.

ui-updates-drafted-by = Written by
ui-updates-approved-by = Approved by
ui-updates-return-reason-label = Reason for returning
ui-updates-return-reason-hint = Required: say what needs correcting, so that the focal updater can complete the update.
ui-updates-return-submit = Return the update

ui-updates-delegate-hint = A task delegated to a unit is transferred at once; your body follows and evaluates the unit's updates, and the unit's progress rolls up into the original task.
ui-updates-delegate-unit = Unit to delegate to
ui-updates-delegate-no-units = Your body has no units in the system yet, so nothing can be delegated. Ask an administrator to add the units.
ui-updates-delegate-classified = Task of a classified document: no content or expected products are recorded.
ui-updates-delegate-deadline-hint = As day/month/year, no later than { $max }. Leave it empty to use the original task's deadline.
ui-updates-delegate-deadline-open = As day/month/year. Leave it empty for a task without a deadline.
ui-updates-delegate-submit = Delegate the task
ui-updates-unit-required = Choose the unit to delegate to.
ui-updates-unit-invalid = Choose a unit from the list.

ui-updates-notice-receipt-confirmed = Receipt of the task confirmed.
ui-updates-notice-drafted = Progress update sent for approval.
ui-updates-notice-saved = Progress update saved and sent for approval.
ui-updates-notice-approved = Progress update approved.
ui-updates-notice-returned = Progress update returned to the focal updater.
ui-updates-notice-evaluated = Evaluation of the progress update recorded.
ui-updates-notice-draft-open = The task has an update that is not approved yet; only one update at a time can wait for approval, so you are editing that one.
ui-updates-notice-urged = Urging recorded.
ui-updates-notice-delegated = Task delegated to the unit.
