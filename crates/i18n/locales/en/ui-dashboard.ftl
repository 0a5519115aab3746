## Dashboard: summary counts, obligations that need attention, results per body, monthly trend.

ui-dashboard-scope-national = Figures for: the whole country
ui-dashboard-scope-body = Figures for: { $body } and its units
ui-dashboard-updated = figures as of { $time }
ui-dashboard-stale = New figures could not be loaded. The page will try again; the figures shown may be out of date.

ui-dashboard-states-title = Results of tasks
ui-dashboard-states-total = Tasks being monitored: { $count }
ui-dashboard-with-deadline = Tasks with a deadline
ui-dashboard-without-deadline = Tasks without a deadline

ui-dashboard-obligations-title = Obligations that need attention
ui-dashboard-obligations-overdue = Overdue, not yet done
ui-dashboard-obligations-due-soon = Due in the next { $hours } hours
ui-dashboard-obligations-overdue-list = Longest overdue
ui-dashboard-obligations-due-soon-list = Due soon
ui-dashboard-obligations-none = No obligation is overdue or due soon.
ui-dashboard-obligations-breached-tasks = See the tasks with a breached deadline
ui-dashboard-responsible = Responsible: { $body }
ui-dashboard-due-at = Due { $time }
ui-dashboard-classified = Classified task (content not shown)

ui-dashboard-deadlines-title = Deadlines coming up
ui-dashboard-deadlines-within = Unfinished tasks due in the next { $days } days
ui-dashboard-deadlines-nearest = Due first
ui-dashboard-deadlines-none = No task is due in the next { $days } days.
ui-dashboard-deadline = Deadline { $date }
ui-dashboard-lead = Lead body: { $body }

ui-dashboard-classes-title = Task classification
ui-dashboard-classes-unit = By executing unit
ui-dashboard-classes-priority = By priority
ui-dashboard-count = Tasks
ui-dashboard-share = Share

ui-dashboard-bodies-title = Results per lead body
ui-dashboard-bodies-caption = Tasks, completed on time, completed late, overdue and the on-time rate of each lead body
ui-dashboard-bodies-body = Lead body
ui-dashboard-bodies-total = Tasks
ui-dashboard-bodies-on-time = Completed on time
ui-dashboard-bodies-late = Completed late
ui-dashboard-bodies-overdue = Overdue, not completed
ui-dashboard-bodies-rate = On-time rate
ui-dashboard-bodies-own = { $body } (as lead body itself)
ui-dashboard-bodies-outside = Other bodies (where yours coordinates, monitors or assigns)
ui-dashboard-bodies-sum = Total
ui-dashboard-bodies-none = No task has been transferred yet.
ui-dashboard-bodies-rate-hint = On-time rate = tasks completed on time ÷ (tasks with a deadline that were completed + overdue tasks not completed). Tasks still within their deadline and tasks without a deadline are not counted in the rate.
ui-dashboard-sort-hint = Select a linked column name to sort the table.

ui-dashboard-trend-title = The last 12 months
ui-dashboard-trend-caption = Tasks completed on time, completed late and becoming overdue in each month
ui-dashboard-trend-month = Month
ui-dashboard-trend-on-time = Completed on time
ui-dashboard-trend-late = Completed late
ui-dashboard-trend-overdue = Became overdue
ui-dashboard-trend-hint = A completed task counts in the month of its completion date. A task not completed by its deadline counts as becoming overdue in the month of the day after the deadline.
