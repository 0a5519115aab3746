## Interface: evaluation of progress updates and urging by the monitoring body.

ui-evaluation-title = Evaluation and urging
ui-evaluation-form-title = Evaluate a progress update
ui-evaluation-pending = Updates awaiting evaluation
ui-evaluation-pending-hint = Evaluate each update within 3 working days of its approval; the updates due soonest come first.
ui-evaluation-none = No update is awaiting evaluation.
ui-evaluation-approved-at = Approved at { $at }
ui-evaluation-comment-hint = Optional. When rating an update “Unsatisfactory”, say what the body must correct or add.
ui-evaluation-submit = Record the evaluation
ui-evaluation-urge-heading = Tasks to urge
ui-evaluation-urge-hint = Tasks your body monitors whose lead body is late confirming receipt or reporting. Each urging is recorded with its channel.
ui-evaluation-urge-none = No task is late.
ui-evaluation-urge-more = Only the 100 tasks with the earliest deadlines are listed; use the filters of the task list to see the others.
ui-evaluation-urge-open = Record urging
ui-evaluation-urge-reason = What was asked of the body
ui-evaluation-urge-submit = Record
