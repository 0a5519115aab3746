//! Task histories made by running the domain's commands in memory, at instants spread over the
//! past, as the bodies and the Central Office would have run them. Each history ends at "now",
//! so that the data set contains every result state and every kind of obligation pending, met and
//! breached.

use crate::rng::Rng;
use anyhow::{Context as _, Result, anyhow};
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Span, Timestamp};
use theodoi_calendar::{WorkingCalendar, at_local, local_date};
use theodoi_domain::catalogue::{Catalogues, ClassificationInput};
use theodoi_domain::document::Document;
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_domain::org::OrgTree;
use theodoi_domain::task::event::{FeedbackKind, TaskEvent, UrgeChannel};
use theodoi_domain::task::update::{ProductInput, Rating, UpdateInput};
use theodoi_domain::task::{
    Context, FeedbackDecision, NewTaskInput, SubtaskInput, Task, TaskCommand, TaskStatus,
    new_subtask, new_task,
};
use theodoi_domain::user::Actor;

const VERBS: [&str; 10] = [
    "Xây dựng",
    "Tổ chức triển khai",
    "Rà soát, hoàn thiện",
    "Sơ kết việc thực hiện",
    "Tổng kết, đánh giá",
    "Ban hành",
    "Kiểm tra, giám sát việc thực hiện",
    "Đẩy mạnh",
    "Nghiên cứu, đề xuất",
    "Chỉ đạo thực hiện",
];
const OBJECTS: [&str; 12] = [
    "đề án chuyển đổi số trong các cơ quan đảng",
    "quy chế phối hợp giữa các cơ quan tham mưu",
    "kế hoạch nâng cao chất lượng tổ chức cơ sở đảng",
    "chương trình đào tạo, bồi dưỡng cán bộ",
    "cơ sở dữ liệu đảng viên",
    "công tác tuyên truyền, phổ biến nghị quyết",
    "mô hình chính quyền địa phương hai cấp",
    "việc sắp xếp tổ chức bộ máy tinh gọn",
    "công tác phòng, chống tham nhũng, lãng phí",
    "chính sách phát triển khoa học, công nghệ",
    "phương án bảo đảm an sinh xã hội",
    "quy định về kiểm soát quyền lực",
];
const RESULTS: [&str; 4] = [
    "Đã ban hành kế hoạch triển khai và phân công đơn vị chủ trì; đang tổ chức thực hiện theo tiến độ.",
    "Đã tổ chức hội nghị quán triệt; các đơn vị trực thuộc đang xây dựng chương trình hành động.",
    "Hoàn thành khảo sát, đánh giá thực trạng; đang hoàn thiện dự thảo báo cáo.",
    "Đã trình cấp có thẩm quyền dự thảo văn bản; đang tiếp thu ý kiến góp ý.",
];

/// Reason given with every command that needs one.
const REASON: &str = "Theo chỉ đạo của Văn phòng Trung ương Đảng";

/// Task durations from transfer to deadline, in days; `None` for tasks without a deadline.
const DURATIONS: [Option<i64>; 10] = [
    Some(20),
    Some(45),
    Some(60),
    Some(100),
    Some(150),
    Some(240),
    Some(365),
    Some(540),
    None,
    Some(120),
];

/// Intended end of a task's history, which "now" may cut short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    NotStarted,
    InProgress,
    OnTime,
    Late,
    DoneNotCompleted,
}

/// Reference data and "now", shared by every history.
#[derive(Debug)]
pub struct Setting<'a> {
    pub calendar: &'a WorkingCalendar,
    pub orgs: &'a OrgTree,
    pub catalogues: &'a Catalogues,
    pub now: Timestamp,
}

/// The people who act on one task.
#[derive(Debug)]
pub struct Cast<'a> {
    pub office: &'a Actor,
    pub monitor: &'a Actor,
    pub updater: &'a Actor,
    pub approver: &'a Actor,
}

/// Bodies, position and creation time of a task to enter.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub lead: OrgId,
    pub coordinating: Vec<OrgId>,
    pub ordinal: u32,
    pub created_at: Timestamp,
}

/// A task being built: its state and the events so far.
struct Simulation<'a> {
    setting: &'a Setting<'a>,
    task: Task,
    events: Vec<TaskEvent>,
    /// The parent of a sub-task, which bounds its deadline.
    parent: Option<&'a Task>,
}

impl<'a> Simulation<'a> {
    /// Runs `command` at `at` (moved after the last event when earlier). Returns false and
    /// changes nothing when that instant is after "now".
    fn run(&mut self, actor: &Actor, at: Timestamp, command: TaskCommand) -> Result<bool> {
        let at = at.max(self.task.updated_at + SignedDuration::from_mins(5));
        if at > self.setting.now {
            return Ok(false);
        }
        let name = command.name();
        let reason = Some(REASON);
        let ctx = Context {
            actor,
            now: at,
            calendar: self.setting.calendar,
            orgs: self.setting.orgs,
            catalogues: self.setting.catalogues,
            parent: self.parent,
        };
        let events = self.task.handle(command, reason, &ctx).map_err(|error| {
            anyhow!(
                "{name} at {at} on a task of version {}: {error}",
                self.task.version
            )
        })?;
        for event in &events {
            self.task.apply(event);
        }
        self.events.extend(events);
        Ok(true)
    }

    fn latest_update(&self) -> Result<theodoi_domain::ids::UpdateNo> {
        self.task
            .updates
            .last()
            .map(|update| update.no)
            .context("a drafted update is missing")
    }

    /// Drafts `input`, has it approved and, usually, evaluated. Returns false when "now" cut
    /// the report short.
    fn report(
        &mut self,
        rng: &mut Rng,
        cast: &Cast<'_>,
        drafted_at: Timestamp,
        input: UpdateInput,
    ) -> Result<bool> {
        if !self.run(cast.updater, drafted_at, TaskCommand::DraftUpdate(input))? {
            return Ok(false);
        }
        let update = self.latest_update()?;
        // A few drafts wait for their approver.
        if rng.chance(4) {
            return Ok(false);
        }
        let approved_at = self.working_minutes(drafted_at, rng.range(30, 600));
        if !self.run(
            cast.approver,
            approved_at,
            TaskCommand::ApproveUpdate { update },
        )? {
            return Ok(false);
        }
        // Some approved updates are never evaluated: their evaluation is pending or breached.
        if rng.chance(60) {
            let day = self
                .setting
                .calendar
                .nth_working_day_after(local_date(approved_at), rng.range(1, 6) as u32);
            let rating = match rng.range(0, 10) {
                0..=5 => Rating::Good,
                6..=8 => Rating::Satisfactory,
                _ => Rating::Unsatisfactory,
            };
            let command = TaskCommand::EvaluateUpdate {
                update,
                rating,
                comment: Some("Đã xem xét báo cáo cập nhật.".to_owned()),
            };
            self.run(cast.monitor, local(day, 9, 30), command)?;
        }
        Ok(true)
    }

    fn working_minutes(&self, from: Timestamp, minutes: u64) -> Timestamp {
        self.setting
            .calendar
            .add_working_minutes(from, u32::try_from(minutes).unwrap_or(u32::MAX))
    }
}

fn local(date: Date, hour: i8, minute: i8) -> Timestamp {
    at_local(date.to_datetime(Time::constant(hour, minute, 0, 0)))
}

fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days)).unwrap_or(date)
}

fn task_content(rng: &mut Rng, document: &Document) -> Option<String> {
    if document.content.confidentiality != theodoi_domain::confidentiality::Confidentiality::Normal
    {
        return None;
    }
    Some(format!(
        "{} {} theo {}",
        rng.pick(&VERBS),
        rng.pick(&OBJECTS),
        document.content.symbol
    ))
}

fn progress(rng: &mut Rng, percent: u64) -> UpdateInput {
    UpdateInput {
        status: Some("in_progress".into()),
        percent: Some(i64::try_from(percent).unwrap_or(95)),
        results: Some(rng.pick(&RESULTS).to_string()),
        ..Default::default()
    }
}

fn final_report(classified: bool, status: &str, on: Date) -> UpdateInput {
    let mut input = UpdateInput {
        status: Some(status.into()),
        completion_date: Some(on.to_string()),
        ..Default::default()
    };
    if !classified {
        input.results =
            Some("Đã hoàn thành các nội dung được giao; báo cáo kết quả kèm theo.".into());
        input.products = vec![ProductInput {
            name: Some("Báo cáo kết quả thực hiện nhiệm vụ".into()),
            file: None,
        }];
    }
    input
}

/// Builds the history of one task of `document`, up to "now".
pub fn build(
    setting: &Setting<'_>,
    rng: &mut Rng,
    document: &Document,
    assignment: &Assignment,
    cast: &Cast<'_>,
) -> Result<Vec<TaskEvent>> {
    let duration = *rng.pick(&DURATIONS);
    let transfer_at = setting
        .calendar
        .add_working_minutes(assignment.created_at, rng.range(10, 240) as u32);
    let deadline =
        duration.map(|days| add_days(local_date(transfer_at), days + rng.range(0, 10) as i64));
    let input = NewTaskInput {
        content: task_content(rng, document),
        classification: ClassificationInput {
            priority: Some((*rng.pick(&["key", "regular", "regular", "urgent"])).to_owned()),
            scope: Some(
                (*rng.pick(&["nationwide", "nationwide", "sector", "locality"])).to_owned(),
            ),
            ..Default::default()
        },
        lead_body: Some(assignment.lead),
        coordinating_bodies: assignment.coordinating.clone(),
        deadline: deadline.map(|date| date.to_string()),
        ..Default::default()
    };
    let creation_ctx = Context {
        actor: cast.office,
        now: assignment.created_at,
        calendar: setting.calendar,
        orgs: setting.orgs,
        catalogues: setting.catalogues,
        parent: None,
    };
    let created =
        new_task(&input, document, assignment.ordinal, &creation_ctx).map_err(|error| {
            anyhow!(
                "create task {} of {}: {error}",
                assignment.ordinal,
                document.content.symbol
            )
        })?;
    let task = Task::replay(TaskId(0), std::slice::from_ref(&created))
        .context("a new task starts with its creation")?;
    let mut sim = Simulation {
        setting,
        task,
        events: vec![created],
        parent: None,
    };
    play(&mut sim, rng, cast, transfer_at)?;
    Ok(sim.events)
}

/// Builds the history of a sub-task that `cast.office` (a focal officer of the parent's lead
/// body) delegates to `unit` at `at`, up to "now". The unit's focal officers report to the
/// delegating body, whose approver (`cast.monitor`) evaluates.
pub fn build_subtask(
    setting: &Setting<'_>,
    rng: &mut Rng,
    parent: &Task,
    unit: OrgId,
    cast: &Cast<'_>,
    at: Timestamp,
) -> Result<Vec<TaskEvent>> {
    let input = SubtaskInput {
        lead_body: Some(unit),
        content: parent
            .content
            .as_ref()
            .map(|content| format!("Phần việc giao đơn vị trực thuộc: {content}")),
        ..Default::default()
    };
    let ctx = Context {
        actor: cast.office,
        now: at,
        calendar: setting.calendar,
        orgs: setting.orgs,
        catalogues: setting.catalogues,
        parent: None,
    };
    let ordinal = u32::try_from(parent.subtasks.len() + 1).unwrap_or(u32::MAX);
    let events = new_subtask(&input, parent, ordinal, &ctx)
        .map_err(|error| anyhow!("delegate task {}: {error}", parent.id))?;
    let task =
        Task::replay(TaskId(0), &events).context("a new sub-task starts with its creation")?;
    let mut sim = Simulation {
        setting,
        task,
        events,
        parent: Some(parent),
    };
    let received_at = sim.working_minutes(at, rng.range(20, 420));
    if sim.run(cast.updater, received_at, TaskCommand::ConfirmReceipt)? {
        work_after_receipt(&mut sim, rng, cast, received_at)?;
    }
    Ok(sim.events)
}

/// The parent's event that records the delegation of `subtask` to `unit`.
pub fn delegation(
    setting: &Setting<'_>,
    parent: &Task,
    subtask: TaskId,
    unit: OrgId,
    delegator: &Actor,
    at: Timestamp,
) -> TaskEvent {
    let ctx = Context {
        actor: delegator,
        now: at,
        calendar: setting.calendar,
        orgs: setting.orgs,
        catalogues: setting.catalogues,
        parent: None,
    };
    parent.delegated(subtask, unit, &ctx)
}

/// Runs the lifecycle after creation: transfer, receipt, progress, completion, urging.
fn play(
    sim: &mut Simulation<'_>,
    rng: &mut Rng,
    cast: &Cast<'_>,
    transfer_at: Timestamp,
) -> Result<()> {
    // A few tasks are still drafts of the Central Office.
    if rng.chance(2) || !sim.run(cast.office, transfer_at, TaskCommand::Transfer)? {
        return Ok(());
    }
    if rng.chance(1) {
        let day = sim
            .setting
            .calendar
            .nth_working_day_after(local_date(transfer_at), rng.range(2, 30) as u32);
        sim.run(cast.office, local(day, 14, 0), TaskCommand::Cancel)?;
        return Ok(());
    }
    // Some bodies never confirm receipt: the receipt obligation is open or breached.
    if rng.chance(4) {
        urge(sim, rng, cast, transfer_at)?;
        return Ok(());
    }
    let mut received_at = sim.working_minutes(transfer_at, rng.range(20, 420));
    if rng.chance(3) {
        let kind = if rng.chance(50) {
            FeedbackKind::WrongContent
        } else {
            FeedbackKind::OutsideAuthority
        };
        if !sim.run(cast.updater, received_at, TaskCommand::Return { kind })? {
            return Ok(());
        }
        // Some feedback still waits for the Central Office.
        if rng.chance(30) {
            return Ok(());
        }
        let handled_at = sim.working_minutes(received_at, rng.range(60, 900));
        let decision = TaskCommand::HandleFeedback(FeedbackDecision::Reject);
        if !sim.run(cast.office, handled_at, decision)? {
            return Ok(());
        }
        received_at = sim.working_minutes(handled_at, rng.range(20, 300));
    }
    if !sim.run(cast.updater, received_at, TaskCommand::ConfirmReceipt)? {
        return Ok(());
    }
    if !work_after_receipt(sim, rng, cast, received_at)? {
        return Ok(());
    }
    if rng.chance(3) {
        extend(sim, rng, cast)?;
    }
    urge(sim, rng, cast, received_at)
}

/// Reports progress and, for most tasks, the final outcome, after receipt. Returns false when
/// the history stopped early.
fn work_after_receipt(
    sim: &mut Simulation<'_>,
    rng: &mut Rng,
    cast: &Cast<'_>,
    received_at: Timestamp,
) -> Result<bool> {
    let outcome = match rng.range(0, 100) {
        0..=11 => Outcome::NotStarted,
        12..=46 => Outcome::InProgress,
        47..=81 => Outcome::OnTime,
        82..=96 => Outcome::Late,
        _ => Outcome::DoneNotCompleted,
    };
    if outcome != Outcome::NotStarted && !checkpoints(sim, rng, cast, outcome)? {
        return Ok(false);
    }
    if matches!(
        outcome,
        Outcome::OnTime | Outcome::Late | Outcome::DoneNotCompleted
    ) {
        return complete(sim, rng, cast, outcome, received_at);
    }
    Ok(true)
}

/// Reports progress at the checkpoints that fell due before "now", skipping some (they are
/// breached). Returns false when the history stopped early.
fn checkpoints(
    sim: &mut Simulation<'_>,
    rng: &mut Rng,
    cast: &Cast<'_>,
    outcome: Outcome,
) -> Result<bool> {
    // Classified tasks report only their final outcome.
    if sim.task.confidentiality != theodoi_domain::confidentiality::Confidentiality::Normal {
        return Ok(true);
    }
    let checkpoints = sim
        .task
        .schedule
        .as_ref()
        .map(|schedule| schedule.checkpoints.clone())
        .unwrap_or_default();
    let mut percent = rng.range(10, 35);
    // Long tasks report monthly; a sample of their periods keeps the event count realistic.
    let skip = if checkpoints.len() > 4 { 80 } else { 45 };
    for checkpoint in checkpoints {
        if checkpoint.due_at > sim.setting.now {
            break;
        }
        if rng.chance(skip) {
            continue;
        }
        let due_day = local_date(checkpoint.due_at);
        let day = if rng.chance(85) {
            sim.setting
                .calendar
                .nth_working_day_after(add_days(due_day, -5), rng.range(1, 3) as u32)
        } else {
            sim.setting
                .calendar
                .nth_working_day_after(due_day, rng.range(1, 5) as u32)
        };
        let drafted_at = local(day, 9, 0).max(checkpoint.opens_at);
        let input = progress(rng, percent);
        if !sim.report(rng, cast, drafted_at, input)? {
            return Ok(false);
        }
        percent = (percent + rng.range(5, 25)).min(95);
        if outcome == Outcome::InProgress && rng.chance(30) {
            break;
        }
    }
    Ok(true)
}

/// Reports the final outcome. Returns false when the history stopped early.
fn complete(
    sim: &mut Simulation<'_>,
    rng: &mut Rng,
    cast: &Cast<'_>,
    outcome: Outcome,
    received_at: Timestamp,
) -> Result<bool> {
    let received = local_date(received_at);
    let last = local_date(sim.task.updated_at);
    let completion = match (sim.task.deadline, outcome) {
        (Some(deadline), Outcome::OnTime) => {
            let span = (deadline - received).get_days().max(1);
            add_days(deadline, -(rng.range(0, span as u64 / 3 + 1) as i64))
        }
        (Some(deadline), _) => add_days(deadline, rng.range(1, 60) as i64),
        (None, _) => add_days(received, rng.range(30, 400) as i64),
    };
    let completion = completion.max(last).max(received);
    let status = match (outcome, sim.task.deadline) {
        (Outcome::DoneNotCompleted, Some(_)) => "done_not_completed",
        _ => "completed",
    };
    let report_day = sim
        .setting
        .calendar
        .nth_working_day_after(completion, rng.range(0, 4) as u32);
    if local(report_day, 9, 0) > sim.setting.now || completion > local_date(sim.setting.now) {
        return Ok(true);
    }
    let classified =
        sim.task.confidentiality != theodoi_domain::confidentiality::Confidentiality::Normal;
    sim.report(
        rng,
        cast,
        local(report_day, 9, 0),
        final_report(classified, status, completion),
    )
}

/// Asks for and grants a deadline extension on a running task whose deadline is ahead.
fn extend(sim: &mut Simulation<'_>, rng: &mut Rng, cast: &Cast<'_>) -> Result<()> {
    let Some(deadline) = sim.task.deadline else {
        return Ok(());
    };
    let today = local_date(sim.setting.now);
    if sim.task.status != TaskStatus::InProgress || deadline <= today {
        return Ok(());
    }
    let proposed = add_days(deadline, rng.range(30, 90) as i64);
    let requested_at = sim.working_minutes(sim.task.updated_at, rng.range(60, 2_000));
    if !sim.run(
        cast.updater,
        requested_at,
        TaskCommand::RequestExtension { proposed },
    )? {
        return Ok(());
    }
    let granted_at = sim.working_minutes(requested_at, rng.range(240, 1_500));
    sim.run(
        cast.office,
        granted_at,
        TaskCommand::ExtendDeadline { to: proposed },
    )?;
    Ok(())
}

/// Urges some running tasks that are overdue or whose receipt is late.
fn urge(sim: &mut Simulation<'_>, rng: &mut Rng, cast: &Cast<'_>, since: Timestamp) -> Result<()> {
    let running = matches!(
        sim.task.status,
        TaskStatus::AwaitingReceipt | TaskStatus::InProgress
    );
    let overdue = sim
        .task
        .deadline
        .is_none_or(|deadline| deadline < local_date(sim.setting.now));
    if !running || !overdue || !rng.chance(30) {
        return Ok(());
    }
    let at = sim.working_minutes(since.max(sim.task.updated_at), rng.range(240, 6_000));
    let channel = *rng.pick(&[
        UrgeChannel::System,
        UrgeChannel::Phone,
        UrgeChannel::Email,
        UrgeChannel::Meeting,
    ]);
    sim.run(cast.monitor, at, TaskCommand::Urge { channel })?;
    Ok(())
}
