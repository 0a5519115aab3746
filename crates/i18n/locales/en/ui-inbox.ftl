## Interface: the inbox of focal updaters and focal approvers.

ui-inbox-title = To do
ui-inbox-sections = Groups of work
ui-inbox-nothing = Your body has nothing to do at the moment.
ui-inbox-total = { $count ->
        [one] One item needs action.
       *[other] { $count } items need action.
    }
ui-inbox-overdue = { $count ->
        [one] One is overdue.
       *[other] { $count } are overdue.
    }
ui-inbox-receipts = Tasks awaiting confirmation of receipt
ui-inbox-receipts-hint = Confirm receipt within 4 working hours of the transfer. If the content is wrong or outside your body's authority, open the task to return it with feedback.
ui-inbox-confirm-receipt = Confirm receipt
ui-inbox-view-or-return = View or return
ui-inbox-reports = Progress reports due
ui-inbox-write-update = Report progress
ui-inbox-continue-update = Open the update in progress
ui-inbox-view-task = View task
ui-inbox-checkpoint-half = Progress report at half of the time allowed
ui-inbox-checkpoint-three-quarters = Progress report at three quarters of the time allowed
ui-inbox-checkpoint-period = Progress report for { $period }
ui-inbox-approvals = Updates awaiting approval
ui-inbox-written-by = Written by { $names }
ui-inbox-approve = Approve
ui-inbox-return = Return
ui-inbox-edit-update = Edit update
ui-inbox-fixes = Updates returned for correction
ui-inbox-returned-at = Returned at { $at }
ui-inbox-fix-update = Correct and resend
ui-inbox-waiting-updater = Waiting for the focal updater to correct it
ui-inbox-evaluations = Units' updates awaiting evaluation
ui-inbox-evaluate = Evaluate
ui-inbox-units = Units that are late
ui-inbox-units-hint = Overdue work of your body's units, so that you can remind and urge them.
ui-inbox-returned = Tasks returned with feedback, awaiting handling
ui-inbox-returned-hint = Your body returned these tasks with feedback; the assigning side handles feedback within 1 working day.
ui-inbox-feedback-sent = Feedback sent at { $at }
ui-inbox-handling-due = Handled by the assigning side
ui-inbox-feedback-wrong-content = Content not suitable
ui-inbox-feedback-outside-authority = Outside the body's authority
