# E-mail notifications. Messages about Mật and Tối mật tasks use only mail-attention-*: no
# title, number, content or body name.

mail-attention-subject = [theodoi] A task needs your attention
mail-attention-body =
    A task needs your attention.
    Please log in to see it: { $link }

    This message was sent automatically by the task monitoring system; please do not reply.

mail-transferred-subject = [theodoi] Task transferred: { $symbol }
mail-transferred-intro = The task below was transferred to { $body } at { $at }. Please confirm receipt within 4 working hours.
mail-urged-subject = [theodoi] Urged to carry out a task: { $symbol }
mail-urged-intro = { $body } was urged to carry out the task below at { $at }.
mail-update-returned-subject = [theodoi] Progress update returned: { $symbol }
mail-update-returned-intro = The progress update of { $body } on the task below was returned at { $at }. The focal updater should correct it and submit it again.
mail-update-approved-subject = [theodoi] Progress update approved: { $symbol }
mail-update-approved-intro = The progress update of { $body } on the task below was approved at { $at }. The monitoring body evaluates it within 3 working days.

mail-task-details =
    Document: { $symbol } – { $title }
    Task content: { $content }
    Deadline: { $deadline }
    Open the task: { $link }
mail-no-deadline = no deadline
mail-footer = This message was sent automatically by the task monitoring system; please do not reply.

mail-digest-subject = [theodoi] To do on { $day }
mail-digest-intro = Obligations of { $body } that are overdue or due within the next 2 days, as of { $at }:
mail-digest-overdue = Overdue:
mail-digest-due-soon = Due soon:
mail-digest-line = - { $symbol }: { $content } — { $kind }, due { $due } ({ $link })
mail-digest-hidden =
    { $count ->
        [one] One other task also needs your attention; please log in to see it.
       *[other] { $count } other tasks also need your attention; please log in to see them.
    }
mail-digest-link = Open your to-do list: { $link }
