//! The update schedule of a task: when its body must report progress, by the duration from
//! transfer to deadline.
//!
//! | duration          | checkpoints                              | final report              |
//! |-------------------|------------------------------------------|---------------------------|
//! | under 1 month     | none                                     | 3 working days after done |
//! | 1 to < 3 months   | after ½ of the period                    | 3 working days after done |
//! | 3 to < 6 months   | after ½ and after ¾ of the period        | 5 working days after done |
//! | 6 months or more  | every period (monthly by default)        | 5 working days after done |
//! | no deadline       | every period (monthly by default)        | none                      |
//!
//! The regulation says "at least once after half the period" without a closing date, so a
//! fractional checkpoint opens at that moment and is due [`CHECKPOINT_WORKING_DAYS`] working
//! days later, the same allowance it gives for reports after completion. For six months or more
//! it names only periodic reports; the final report after completion is kept for those tasks too,
//! with the longer allowance, so that every task with a deadline ends with a report.

use jiff::{Timestamp, ToSpan, civil::Date};
use serde::{Deserialize, Serialize};
use theodoi_calendar::{WorkingCalendar, end_of_day, local_date};

/// Working days after a fractional checkpoint within which the update is due.
pub const CHECKPOINT_WORKING_DAYS: u32 = 3;

/// How far ahead periodic checkpoints of a task without deadline are scheduled at once; the
/// scheduler appends more before they run out.
pub const PERIODIC_HORIZON_MONTHS: i8 = 12;

/// When an open-ended task's schedule ends within this many months, the scheduler appends more.
pub const SCHEDULE_REFILL_MONTHS: i8 = 3;

/// Returns the instant that an open-ended task's scheduled checkpoints must reach at `now`;
/// the scheduler extends the schedules that end before it. Months count as 31 days.
pub fn refill_threshold(now: Timestamp) -> Timestamp {
    now.checked_add(jiff::SignedDuration::from_hours(
        24 * 31 * i64::from(SCHEDULE_REFILL_MONTHS),
    ))
    .unwrap_or(now)
}

/// Duration class of a task, from transfer to deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    UnderOneMonth,
    OneToThreeMonths,
    ThreeToSixMonths,
    SixMonthsOrMore,
    NoDeadline,
}

/// Length of a reporting period for long and open-ended tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Monthly,
        Period::Quarterly,
        Period::HalfYearly,
        Period::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Quarterly => "quarterly",
            Period::HalfYearly => "half_yearly",
            Period::Yearly => "yearly",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == value)
    }

    fn months(self) -> i8 {
        match self {
            Period::Monthly => 1,
            Period::Quarterly => 3,
            Period::HalfYearly => 6,
            Period::Yearly => 12,
        }
    }

    /// First day of the period that contains `date`.
    fn start_of(self, date: Date) -> Date {
        let months = self.months();
        let month0 = (date.month() - 1) / months * months;
        jiff::civil::date(date.year(), month0 + 1, 1)
    }

    fn next_start(self, start: Date) -> Date {
        start
            .checked_add(i32::from(self.months()).months())
            .expect("period start stays within the supported calendar range")
    }
}

/// What a checkpoint asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CheckpointKind {
    /// An update after half the period.
    Half,
    /// An update after three quarters of the period.
    ThreeQuarters,
    /// A periodic update covering the period from `start` to `end`, both inclusive.
    Period { start: Date, end: Date },
}

/// One required progress update: any approved update from `opens_at` on meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub kind: CheckpointKind,
    pub opens_at: Timestamp,
    pub due_at: Timestamp,
}

/// The update schedule set at a transfer or a deadline extension. Due times are computed once
/// and kept, so a later edit of the calendar never moves them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateSchedule {
    pub cadence: Cadence,
    pub checkpoints: Vec<Checkpoint>,
    /// Working days after completion within which the final report is due.
    pub final_report_working_days: Option<u32>,
    /// When the final report is due if the task completes exactly on its deadline, or on the
    /// day the schedule starts when that is later.
    pub final_report_due: Option<Timestamp>,
    pub period: Option<Period>,
    pub calendar_version: String,
}

impl UpdateSchedule {
    /// Drops the progress checkpoints of a classified task: its updates may report only the
    /// final outcome, so only the final report is owed.
    pub fn for_level(mut self, level: crate::confidentiality::Confidentiality) -> Self {
        if !level.allows_detailed_results() {
            self.checkpoints.clear();
            self.period = None;
        }
        self
    }
}

/// Classifies the duration from `start` to the end of `deadline`, in calendar months.
pub fn cadence(start: Timestamp, deadline: Option<Date>) -> Cadence {
    let Some(deadline) = deadline else {
        return Cadence::NoDeadline;
    };
    let start_date = local_date(start);
    let after = |months: i32| start_date.checked_add(months.months()).unwrap_or(Date::MAX);
    if deadline < after(1) {
        Cadence::UnderOneMonth
    } else if deadline < after(3) {
        Cadence::OneToThreeMonths
    } else if deadline < after(6) {
        Cadence::ThreeToSixMonths
    } else {
        Cadence::SixMonthsOrMore
    }
}

/// Builds the schedule of a task transferred (or re-planned) at `start`.
///
/// `horizon` bounds the periodic checkpoints of a task without a deadline.
pub fn build(
    calendar: &WorkingCalendar,
    start: Timestamp,
    deadline: Option<Date>,
    period: Period,
    horizon: Date,
) -> UpdateSchedule {
    let cadence = cadence(start, deadline);
    let fractional = |fractions: &[(CheckpointKind, f64)]| -> Vec<Checkpoint> {
        let Some(deadline) = deadline else {
            return Vec::new();
        };
        let total = end_of_day(deadline).as_second() - start.as_second();
        fractions
            .iter()
            .map(|&(kind, fraction)| {
                // Truncating to whole seconds is exact enough for a checkpoint that is due days later.
                let offset = (total as f64 * fraction) as i64;
                let opens_at = Timestamp::from_second(start.as_second() + offset)
                    .expect("checkpoint lies between transfer and deadline");
                let due_at =
                    calendar.add_working_days(local_date(opens_at), CHECKPOINT_WORKING_DAYS);
                Checkpoint {
                    kind,
                    opens_at,
                    due_at,
                }
            })
            .collect()
    };

    let (checkpoints, final_days, period) = match cadence {
        Cadence::UnderOneMonth => (Vec::new(), Some(3), None),
        Cadence::OneToThreeMonths => (fractional(&[(CheckpointKind::Half, 0.5)]), Some(3), None),
        Cadence::ThreeToSixMonths => (
            fractional(&[
                (CheckpointKind::Half, 0.5),
                (CheckpointKind::ThreeQuarters, 0.75),
            ]),
            Some(5),
            None,
        ),
        Cadence::SixMonthsOrMore => {
            let deadline = deadline.expect("this cadence has a deadline");
            (
                periodic(calendar, start, period, deadline, true),
                Some(5),
                Some(period),
            )
        }
        Cadence::NoDeadline => (
            periodic(calendar, start, period, horizon, false),
            None,
            Some(period),
        ),
    };

    UpdateSchedule {
        cadence,
        checkpoints,
        final_report_working_days: final_days,
        // A task planned after its deadline cannot complete before the day it is planned.
        final_report_due: match (deadline, final_days) {
            (Some(deadline), Some(days)) => {
                Some(calendar.add_working_days(deadline.max(local_date(start)), days))
            }
            _ => None,
        },
        period,
        calendar_version: calendar.version().0.clone(),
    }
}

/// Periodic checkpoints from `start` through `until`. The first period is the one containing
/// the start, unless less than half of it is left; then it joins the next period. A period
/// is due at the end of its last working day. With `before_deadline`, periods ending on or
/// after `until` are left to the final report.
fn periodic(
    calendar: &WorkingCalendar,
    start: Timestamp,
    period: Period,
    until: Date,
    before_deadline: bool,
) -> Vec<Checkpoint> {
    let start_date = local_date(start);
    let mut period_start = period.start_of(start_date);
    let mut next = period.next_start(period_start);
    let length = period_start
        .until(next)
        .map(|span| span.get_days())
        .unwrap_or(30);
    let remaining = start_date
        .until(next)
        .map(|span| span.get_days())
        .unwrap_or(0);
    if remaining * 2 < length {
        next = period.next_start(next);
    }

    let mut checkpoints = Vec::new();
    let mut opens_at = start;
    loop {
        let end = next.yesterday().expect("period end is after the start");
        let beyond = if before_deadline {
            end >= until
        } else {
            end > until
        };
        if beyond {
            break;
        }
        checkpoints.push(Checkpoint {
            kind: CheckpointKind::Period {
                start: period_start.max(start_date),
                end,
            },
            opens_at,
            due_at: calendar.end_of_working_day(last_working_day(calendar, end)),
        });
        period_start = next;
        next = period.next_start(next);
        opens_at =
            theodoi_calendar::at_local(period_start.to_datetime(jiff::civil::Time::midnight()));
    }
    checkpoints
}

/// Periodic checkpoints continuing after a period that ended on `last_end`, for periods ending
/// on or before `until`.
pub fn continue_periodic(
    calendar: &WorkingCalendar,
    last_end: Date,
    period: Period,
    until: Date,
) -> Vec<Checkpoint> {
    let mut checkpoints = Vec::new();
    let Ok(mut start) = last_end.tomorrow() else {
        return checkpoints;
    };
    loop {
        let next = period.next_start(start);
        let end = next.yesterday().expect("period end is after its start");
        if end > until {
            break;
        }
        checkpoints.push(Checkpoint {
            kind: CheckpointKind::Period { start, end },
            opens_at: theodoi_calendar::at_local(start.to_datetime(jiff::civil::Time::midnight())),
            due_at: calendar.end_of_working_day(last_working_day(calendar, end)),
        });
        start = next;
    }
    checkpoints
}

/// The last working day on or before `date`; searches at most 60 days back so that a
/// calendar without working days cannot hang, and falls back to `date`.
fn last_working_day(calendar: &WorkingCalendar, date: Date) -> Date {
    let mut day = date;
    for _ in 0..60 {
        if calendar.is_working_day(day) {
            return day;
        }
        match day.yesterday() {
            Ok(previous) => day = previous,
            Err(_) => break,
        }
    }
    date
}

/// The checkpoints of `schedule` still to come after `at`, for appending to a task whose
/// schedule is replaced at `at`: checkpoints already due stay judged by the old schedule.
pub fn future_part(schedule: &UpdateSchedule, at: Timestamp) -> Vec<Checkpoint> {
    schedule
        .checkpoints
        .iter()
        .copied()
        .filter(|checkpoint| checkpoint.due_at > at)
        .collect()
}

/// The periodic horizon for a task without a deadline scheduled at `now`.
pub fn periodic_horizon(now: Timestamp) -> Date {
    local_date(now)
        .checked_add(i32::from(PERIODIC_HORIZON_MONTHS).months())
        .unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use theodoi_calendar::at_local;

    fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        at_local(date(y, m, d).at(h, min, 0, 0))
    }

    #[test]
    fn cadence_follows_duration_from_transfer() {
        let start = at(2026, 3, 2, 9, 0);
        assert_eq!(
            cadence(start, Some(date(2026, 4, 1))),
            Cadence::UnderOneMonth
        );
        assert_eq!(
            cadence(start, Some(date(2026, 4, 2))),
            Cadence::OneToThreeMonths
        );
        assert_eq!(
            cadence(start, Some(date(2026, 6, 1))),
            Cadence::OneToThreeMonths
        );
        assert_eq!(
            cadence(start, Some(date(2026, 6, 2))),
            Cadence::ThreeToSixMonths
        );
        assert_eq!(
            cadence(start, Some(date(2026, 9, 2))),
            Cadence::SixMonthsOrMore
        );
        assert_eq!(cadence(start, None), Cadence::NoDeadline);
    }

    #[test]
    fn short_task_has_only_final_report() {
        let calendar = WorkingCalendar::builtin();
        let schedule = build(
            &calendar,
            at(2026, 3, 2, 9, 0),
            Some(date(2026, 3, 20)),
            Period::Monthly,
            date(2027, 1, 1),
        );
        assert!(schedule.checkpoints.is_empty());
        assert_eq!(schedule.final_report_working_days, Some(3));
        // 20/3/2026 is a Friday: three working days later is Wednesday 25/3, 17:00.
        assert_eq!(schedule.final_report_due, Some(at(2026, 3, 25, 17, 0)));
    }

    #[test]
    fn three_to_six_months_has_half_and_three_quarter_checkpoints() {
        let calendar = WorkingCalendar::builtin();
        let start = at(2026, 3, 2, 8, 0);
        let schedule = build(
            &calendar,
            start,
            Some(date(2026, 6, 30)),
            Period::Monthly,
            date(2027, 1, 1),
        );
        assert_eq!(schedule.cadence, Cadence::ThreeToSixMonths);
        let kinds: Vec<_> = schedule.checkpoints.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [CheckpointKind::Half, CheckpointKind::ThreeQuarters]);
        for checkpoint in &schedule.checkpoints {
            assert!(checkpoint.opens_at > start);
            assert!(checkpoint.due_at > checkpoint.opens_at);
            assert!(checkpoint.opens_at < end_of_day(date(2026, 6, 30)));
        }
        assert_eq!(schedule.final_report_working_days, Some(5));
    }

    #[test]
    fn open_ended_task_reports_every_month_until_horizon() {
        let calendar = WorkingCalendar::builtin();
        let schedule = build(
            &calendar,
            at(2026, 3, 10, 9, 0),
            None,
            Period::Monthly,
            date(2026, 8, 31),
        );
        assert_eq!(schedule.cadence, Cadence::NoDeadline);
        let ends: Vec<Date> = schedule
            .checkpoints
            .iter()
            .map(|c| match c.kind {
                CheckpointKind::Period { end, .. } => end,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            ends,
            [
                date(2026, 3, 31),
                date(2026, 4, 30),
                date(2026, 5, 31),
                date(2026, 6, 30),
                date(2026, 7, 31),
                date(2026, 8, 31)
            ]
        );
        // 31/5/2026 is a Sunday, so May's report is due at the end of Friday 29/5.
        assert_eq!(schedule.checkpoints[2].due_at, at(2026, 5, 29, 17, 0));
        assert_eq!(schedule.final_report_due, None);
    }

    #[test]
    fn late_start_joins_the_next_period() {
        let calendar = WorkingCalendar::builtin();
        let schedule = build(
            &calendar,
            at(2026, 3, 25, 9, 0),
            None,
            Period::Monthly,
            date(2026, 5, 31),
        );
        let first = schedule.checkpoints[0].kind;
        assert_eq!(
            first,
            CheckpointKind::Period {
                start: date(2026, 3, 25),
                end: date(2026, 4, 30)
            }
        );
    }

    #[test]
    fn periodic_schedule_continues_after_last_period() {
        let calendar = WorkingCalendar::builtin();
        let more = continue_periodic(
            &calendar,
            date(2026, 8, 31),
            Period::Monthly,
            date(2026, 11, 30),
        );
        let ends: Vec<_> = more
            .iter()
            .map(|c| match c.kind {
                CheckpointKind::Period { start, end } => (start, end),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            ends,
            [
                (date(2026, 9, 1), date(2026, 9, 30)),
                (date(2026, 10, 1), date(2026, 10, 31)),
                (date(2026, 11, 1), date(2026, 11, 30))
            ]
        );
    }

    #[test]
    fn long_task_reports_quarterly_until_deadline() {
        let calendar = WorkingCalendar::builtin();
        let schedule = build(
            &calendar,
            at(2026, 1, 5, 9, 0),
            Some(date(2026, 12, 31)),
            Period::Quarterly,
            date(2027, 1, 1),
        );
        assert_eq!(schedule.cadence, Cadence::SixMonthsOrMore);
        // The last quarter ends on the deadline and is covered by the final report.
        assert_eq!(schedule.checkpoints.len(), 3);
        assert_eq!(schedule.final_report_working_days, Some(5));
    }
}
