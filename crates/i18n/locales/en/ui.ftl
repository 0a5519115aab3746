## Interface: page frame, login, errors.

ui-app-name = Task monitoring and evaluation system
ui-skip-to-content = Skip to main content
ui-logout = Log out
ui-nav-label = Main navigation
ui-nav-dashboard = Dashboard
ui-nav-inbox = To do
ui-nav-evaluation = Awaiting evaluation
ui-nav-tasks = Tasks
ui-nav-documents = Documents
ui-nav-new-document = New document
ui-nav-entry-queue = Documents awaiting entry
ui-nav-feedback-queue = Feedback awaiting handling
ui-login-title = Log in
ui-login-subtitle = Monitoring, urging and inspecting the implementation of assigned tasks
ui-login-submit = Log in
ui-error-title = The request could not be completed
ui-error-not-found-title = Page not found
ui-error-forbidden-title = Access denied
ui-error-server-title = System error
ui-error-id = Error id to give the administrator
ui-error-home = Back to the home page

ui-date-placeholder = dd/mm/yyyy
ui-countdown-left = { $t } left
ui-countdown-over = Overdue by { $t }
ui-countdown-day = d
ui-countdown-hour = h
ui-countdown-minute = min
