## Interface: work queues of the Central Party Office.

ui-queues-entry-intro = Documents whose tasks are not yet all entered and transferred. Tasks must be classified, entered and transferred within 3 working days after the document's issue date; the earliest deadline comes first.
ui-queues-entry-empty = No document is waiting for its tasks to be entered or transferred.
ui-queues-entered = Tasks transferred
ui-queues-no-tasks-yet = No tasks entered yet
ui-queues-transferred-of = { $transferred } of { $total } tasks

ui-queues-feedback-intro = Tasks that their bodies returned because the content is wrong or outside their authority. Feedback must be confirmed and handled within 1 working day after it arrives; the earliest deadline comes first. Once handled, the task is transferred again.
ui-queues-feedback-empty = No feedback is waiting to be handled.
ui-queues-handling-due = Handling due
ui-queues-returned-by = Returned by
ui-queues-feedback-reason = Feedback
ui-queues-feedback = Feedback
ui-queues-no-pending-feedback = The task has no feedback waiting to be handled any more.
ui-queues-kind-wrong-content = The task's content is wrong
ui-queues-kind-outside-authority = Outside the body's authority
ui-queues-decision-adjust = Adjust the task and send it back to the lead body
ui-queues-decision-correct = Correct wrongly entered data and send it back to the lead body
ui-queues-decision-reassign = Assign it to another lead body
ui-queues-decision-reject = Reject the feedback and keep the task as it is
ui-queues-decision-missing = “{ $field }” is not chosen. Choose how to handle the feedback.
ui-queues-changes = Changes
ui-queues-changes-hint = Only for adjusting or correcting. Edit what must change; values left as they are are not recorded.
ui-queues-classified-no-content = Classified tasks keep no content and no expected products.
ui-queues-reason-hint = Required when rejecting the feedback; kept in the task's history.
ui-queues-handle = Confirm
ui-queues-handled = The feedback on task { $number } of document { $symbol } was handled; the task was transferred again.
