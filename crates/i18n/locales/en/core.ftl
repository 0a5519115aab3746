## Domain errors. Each stable error code is also a message id here.

validation-failed = { $count } fields are invalid. Please correct the marked fields.
field-required = “{ $field }” is missing. Please enter “{ $field }”.
field-unknown = The request has a field “{ $field }” that this action does not accept. Please remove it.
field-too-long = “{ $field }” has { $length } characters, more than the limit of { $max }. Please shorten it.
field-too-many = “{ $field }” has too many entries; at most { $max }.
field-out-of-range = “{ $field }” must be between { $min } and { $max }.
field-invalid = The value of “{ $field }” is invalid. Please check it.
field-wrong-type = “{ $field }” must be { $expected }.
field-only-one-of = Give only one of “{ $field }” and “{ $other }”.
field-instant-invalid = The value “{ $value }” of “{ $field }” is not a valid instant. Please write it in RFC 3339, for example 2026-02-13T09:00:00+07:00.
task-deadline-by-extension = The task has been transferred, so its deadline changes only by an extension, with a reason kept in its history.
task-lead-by-feedback = The task has been transferred, so its lead body changes only when feedback is handled (reassigned) or after the task is withdrawn.
task-no-cleared-recipient = No focal officer of { $body } is cleared for “{ $level }” information, so nobody could receive this task. Please ask the administrator to clear the body's focal officers before transferring it.
type-number = a whole number
type-count = a whole number, zero or more
type-boolean = true or false
type-text = a text
type-list = a list
type-object = a JSON object
field-not-one-of = The value of “{ $field }” is invalid. Please choose one of: { $allowed }.
field-date-invalid = The value “{ $value }” of “{ $field }” is not a valid date. Please write it as year-month-day (YYYY-MM-DD), for example 2026-03-31.
date-before-min = “{ $field }” cannot be before { $min }.
update-draft-open = Progress update number { $update } is still waiting for approval. Please finish or edit that update instead of starting a new one.
auth-csrf-invalid = The request lacks the session's anti-forgery token (X-CSRF-Token) or it is wrong. Please reload the page; API clients send the csrf_token returned at login.
date-out-of-range = “{ $field }” must be between { $min } and { $max }.
reason-required = This action needs a reason. Please enter the reason.
symbol-invalid = The number and symbol “{ $value }” does not follow the pattern. Please write number-kind/issuer, for example 57-NQ/TW or 204-QĐ/TW.
symbol-kind-mismatch = The abbreviation “{ $abbreviation }” does not match the selected document kind, which uses { $expected }.
symbol-duplicate = The number and symbol { $symbol } is already used by a document issued in { $year }. Please check the number and symbol.
document-top-secret-refused = Top secret (Tuyệt mật) documents are not accepted. They are managed outside the system under the rules on state secrets; nothing about this document was stored.
secure-zone-unavailable = The server has no secure-zone key configured, so Mật and Tối mật (confidential and secret) documents can be neither stored nor read. Ask the administrator to configure the key (option --secure-key-file) and try again.
document-classify-after-registration = A registered Thường (normal) document cannot be raised to Mật or Tối mật, because its history already holds its details in clear. Enter the document again at the right level.
field-forbidden-for-level = A document classified “{ $level }” may not store “{ $field }”. Please leave this field empty.
update-classified-status-only = Tasks of classified documents report only “Completed” or “Done but not completed”, without progress details.
document-not-found = Document not found.
document-has-tasks = The document already has tasks, so this information can no longer change.
group-not-found = Task group not found in this document.
org-not-found = No body with id { $id } (“{ $field }”). Please choose a body from the list.
org-wrong-category = The body chosen for “{ $field }” is not { $expected }. Please choose another body.
org-code-invalid = The unit code “{ $value }” is invalid. Use 2–32 ASCII letters, digits or hyphens, starting with a letter, for example HNI-BTG.
org-code-duplicate = The unit code { $value } is already used. Please choose another code.
org-not-subordinate = “{ $field }” must be a unit under the body assigned the task.
org-lead-also-coordinating = The lead body cannot also be a coordinating body. Please remove it from the coordinating bodies.
user-not-found = User not found.
username-invalid = A username has 3–64 lower-case ASCII letters, digits, dots, hyphens or underscores.
username-taken = The username { $value } is taken. Please choose another.
email-invalid = The e-mail address is invalid. Enter it as name@agency.vn without spaces; leave it empty to remove the address.
password-too-short = The password must have at least { $min } characters.
catalogue-unknown-code = “{ $value }” is not an active entry of the { $axis ->
        [executing_unit] executing unit
        [scope] scope
        [priority] priority
        [other] other class
       *[unknown] { $axis }
    } catalogue. Please choose an entry from the catalogue.
catalogue-code-invalid = The catalogue code “{ $value }” is invalid. Use 2–40 lower-case ASCII letters, digits or underscores.
catalogue-code-duplicate = The catalogue code { $value } already exists. Please choose another.
catalogue-axis-unknown = There is no classification catalogue “{ $value }”.
task-not-found = Task not found.
task-wrong-state = Cannot { $action } while the task is “{ $status }”.
task-deadline-before-issue = The deadline cannot be before the document's issue date ({ $min }).
task-deadline-after-parent = A delegated task's deadline cannot be after its parent task's deadline ({ $max }).
task-no-deadline = The task has no deadline, so this action does not apply.
task-extension-not-later = The new deadline must be after the current one ({ $current }).
task-not-lead-body = Only the lead body of the task can do this.
task-nothing-changed = Nothing differs from the current data.
task-subtask-depth = A task delegated to a unit cannot be delegated further down.
update-not-found = Progress update number { $update } not found.
update-own-draft = An approver may not approve an update they drafted or edited. Please ask another approver.
update-not-awaiting-approval = Progress update number { $update } is not awaiting approval.
update-not-approved = Progress update number { $update } is not approved yet, so it cannot be evaluated.
update-already-evaluated = Progress update number { $update } has already been evaluated.
update-status-percent-mismatch = The percentage does not match the status: “Not started” is 0%, “In progress” below 100%, “Completed” 100%.
update-completion-date-required = Please enter the date execution finished.
update-completion-date-in-future = The date execution finished cannot be after today ({ $max }).
update-completion-date-before-transfer = The date execution finished cannot be before the task was transferred ({ $min }).
update-completion-date-forbidden = Enter the date execution finished only when reporting completion or done but not completed.
feedback-not-pending = The task has no feedback waiting to be handled.
auth-role-required = This action needs the role: { $roles }. Your account does not have it.
auth-not-your-body = This action belongs to another body.
auth-clearance-too-low = You are not cleared for information at this confidentiality level.
version-conflict = Someone else changed this record after you opened it (current version: { $current }). Please reload to see the change and try again; what you entered is not lost.
calendar-year-invalid = The year { $value } is outside the supported calendar range (1900–2199).
calendar-hours-invalid = The working hours “{ $value }” are invalid. Please write them like 08:00-12:00,13:00-17:00.
calendar-day-outside-year = The date { $value } is not in { $year }.
calendar-day-duplicate = The date { $value } is entered twice.

## Protocol errors.

request-invalid-json = The request body is not valid JSON (error at line:column { $detail }). Please check the JSON syntax.
request-unsupported-media = The request must send JSON (Content-Type: application/json).
request-too-large = The request body is too large.
request-invalid-query = Invalid query parameter: { $detail }
request-if-match-invalid = The If-Match header must be a version number, for example "3".
request-idempotency-key-invalid = The Idempotency-Key must be 1–200 printable characters.
request-idempotency-key-reused = This Idempotency-Key was already used for a different request. Please use a new key for each creating request.
request-cursor-invalid = The pagination cursor is invalid. Please start again from the first page.
auth-required = Please log in.
auth-login-failed = The username or password is wrong.
auth-account-disabled = The account is disabled. Please contact the administrator.
not-found = The page or data you asked for was not found.
method-not-allowed = This method is not supported at this address.
internal-error = The system failed to handle the request. Please try again; if it fails again, give the administrator the error id { $id }.
service-unavailable = The system cannot reach its database right now. Please try again in a few minutes.

## Field names.

field-kind = Document kind
field-symbol = Number and symbol
field-title = Title
field-issue-date = Issue date
field-signer = Signer
field-issuing-body = Advising and issuing body
field-assigning-authority = Assigning authority
field-monitoring-body = Monitoring body
field-confidentiality = Confidentiality
field-summary = Summary
field-content = Task content
field-expected-products = Expected products
field-lead-body = Lead body
field-coordinating-bodies = Coordinating bodies
field-deadline = Deadline
field-report-period = Reporting period
field-executing-unit = Executing unit
field-scope = Scope
field-scope-detail = Sector, field or locality
field-priority = Priority
field-other = Other class
field-status = Status
field-percent = Percentage done
field-completion-date = Date execution finished
field-results = Results
field-products = Products
field-name = Name
field-file = Attached file
field-difficulties = Difficulties
field-proposals = Proposals
field-reason = Reason
field-comment = Comment
field-rating = Rating
field-proposed = Proposed deadline
field-to = New body or deadline
field-due = Report due
field-code = Code
field-name-vi = Vietnamese name
field-name-en = English name
field-username = Username
field-password = Password
field-roles = Roles
field-clearance = Clearance
field-group-id = Task group
field-channel = Urging channel
field-year = Year
field-hours = Working hours
field-days = Days off and make-up days
field-date = Date
field-parent-id = Parent body
field-language = Language
field-email = E-mail address
field-json = Request body (JSON)
field-include-subunits = Include subordinate units
field-document = Document
field-group = Task group
field-subtasks = Sub-tasks
field-has-deadline = Has a deadline
field-breached = Has a breached obligation
field-q = Search words
field-cursor = Page cursor
field-lang = Language
field-awaiting-entry = Awaiting entry
field-working-days = Working days
field-disabled = Account disabled
field-active = In use
field-position = Position
field-reassign-to = New lead body
field-new-deadline = New deadline
field-body = Body involved
field-org = Body
field-parent = Parent body
field-feedback-kind = Feedback kind
field-obligation-kind = Obligation kind
field-valid-days = Validity in days
field-days-kind = Day kind
field-days-date = Date
field-days-name-vi = Day name (Vietnamese)
field-days-name-en = Day name (English)
field-category = Category of body
field-org-id = Body
field-full-name = Full name
field-issued-from = Issued from
field-issued-to = Issued until
field-deadline-from = Deadline from
field-deadline-to = Deadline until
field-result-state = Result state
field-sort = Sort order
field-limit = Page size
field-on = Date of the result
field-within-hours = Hours ahead
field-start = Start time
field-working-hours = Working hours to add
field-decision = Decision

## Confidentiality levels.

confidentiality-normal = Normal
confidentiality-confidential = Confidential (Mật)
confidentiality-secret = Secret (Tối mật)
confidentiality-top-secret = Top secret (Tuyệt mật)

## Roles.

role-central-office = Central Party Office
role-updater = Focal updater
role-approver = Focal approver
role-monitoring-officer = Monitoring officer
role-inspector = Inspector
role-leader-viewer = Leader
role-administrator = Administrator

## Document kinds.

document-kind-resolution = Resolution
document-kind-directive = Directive
document-kind-conclusion = Conclusion
document-kind-notice = Notice
document-kind-meeting-conclusion-notice = Notice of meeting conclusions
document-kind-programme = Programme
document-kind-plan = Plan
document-kind-scheme = Scheme
document-kind-decision = Decision
document-kind-regulation = Regulation
document-kind-rules = Rules
document-kind-guidance = Guidance
document-kind-official-letter = Official letter
document-kind-direction = Direction

## Body categories.

org-category-assigning-authority = an assigning authority (Central Committee, Politburo, Secretariat, General Secretary, Standing Member of the Secretariat)
org-category-central-party-body = a central Party body
org-category-inspection-commission = an inspection commission
org-category-committee-under-cc = a Party committee directly under the Central Committee
org-category-central-unit = a public service unit of the Central Committee
org-category-state-agency = a state agency
org-category-provincial-committee = a provincial or city Party committee
org-category-subordinate-unit = a subordinate unit
org-category-executing = a body that carries out tasks (not an assigning authority)

## Task statuses.

task-status-draft = Not transferred
task-status-awaiting-receipt = Awaiting receipt
task-status-in-progress = In progress
task-status-returned = Returned, awaiting handling
task-status-completed = Completed
task-status-done-not-completed = Done but not completed
task-status-cancelled = Cancelled

## Result states.

result-completed-on-time = Completed – on time
result-completed-late = Completed – late
result-in-progress-on-time = In progress – on time
result-in-progress-overdue = In progress – overdue
result-done-not-completed = Done but not completed (overdue)
result-not-started-on-time = Not started – on time
result-not-started-overdue = Not started – overdue (not carried out)
result-completed = Completed
result-in-progress = In progress
result-not-started = Not started

## Actions.

action-edit = edit the task
action-transfer = transfer the task
action-confirm-receipt = confirm receipt
action-return = return the task with feedback
action-handle-feedback = handle feedback
action-draft-update = draft a progress update
action-edit-update = edit a progress update
action-approve-update = approve a progress update
action-return-update = return a progress update
action-evaluate-update = evaluate a progress update
action-request-extension = request an extension
action-extend-deadline = extend the deadline
action-request-update = request a report
action-urge = urge
action-report-difficulty = report difficulties
action-withdraw = withdraw the task
action-cancel = cancel the task
action-delegate = delegate to a subordinate unit

## Timed obligations.

obligation-entry = Enter and transfer the task (3 working days after issue)
obligation-receipt = Confirm receipt (4 working hours after transfer)
obligation-feedback = Return with feedback if the task is wrong (8 working hours after receipt)
obligation-feedback-handling = Handle feedback (1 working day)
obligation-checkpoint = Scheduled progress update
obligation-final-report = Report results after execution ends
obligation-requested-update = Report on request
obligation-evaluation = Evaluate the progress update (3 working days after approval)

obligation-status-pending = Pending
obligation-status-met = Met
obligation-status-breached = Breached
obligation-status-not-required = Not required
obligation-status-cancelled = No longer applies
