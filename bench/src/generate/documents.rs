//! Documents and their tasks, written a batch of tasks per transaction.

use super::Scale;
use super::histories::{self, Assignment, Cast, Setting};
use super::people::People;
use crate::rng::Rng;
use anyhow::{Context as _, Result, anyhow};
use indicatif::ProgressBar;
use jiff::Span;
use jiff::civil::Time;
use std::collections::HashMap;
use theodoi_calendar::{at_local, local_date};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{self, Document, DocumentInput, DocumentKind};
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::OrgCategory;
use theodoi_domain::task::event::TaskEvent;
use theodoi_domain::task::{Task, TaskStatus};
use theodoi_store::{BulkWriter, DocumentRegistration, Store};

/// Share of running tasks, led by a body with units, that delegate part to one of them.
const DELEGATED_PERCENT: u64 = 15;

/// Documents are issued over this many days before "now".
pub const HISTORY_DAYS: i64 = 900;

/// Document kinds of the data set, with the word that starts their titles.
const KINDS: [(DocumentKind, &str); 8] = [
    (DocumentKind::Resolution, "Nghị quyết về"),
    (DocumentKind::Directive, "Chỉ thị về"),
    (DocumentKind::Conclusion, "Kết luận về"),
    (DocumentKind::Notice, "Thông báo ý kiến chỉ đạo về"),
    (DocumentKind::Plan, "Kế hoạch thực hiện"),
    (DocumentKind::Programme, "Chương trình hành động về"),
    (DocumentKind::Scheme, "Đề án"),
    (DocumentKind::OfficialLetter, "Công văn về việc"),
];

const TOPICS: [&str; 8] = [
    "đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan đảng",
    "nâng cao chất lượng công tác theo dõi, đôn đốc thực hiện nhiệm vụ",
    "tiếp tục sắp xếp tổ chức bộ máy của hệ thống chính trị",
    "tăng cường công tác kiểm tra, giám sát và kỷ luật đảng",
    "phát triển khoa học, công nghệ, đổi mới sáng tạo",
    "nâng cao hiệu quả công tác dân vận",
    "bảo đảm an sinh xã hội và phát triển văn hoá",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
];

const ISSUERS: [&str; 3] = ["BCT", "BBT", "TW"];

/// Registers the documents and writes the histories of `scale.tasks` tasks; returns the first
/// and last document ids.
#[allow(clippy::too_many_arguments)]
pub async fn write_all(
    store: &Store,
    setting: &Setting<'_>,
    people: &People,
    leads: &[OrgId],
    scale: Scale,
    batch: u64,
    rng: &mut Rng,
    seed: u64,
    bar: &ProgressBar,
) -> Result<(i64, i64)> {
    let average = (scale.tasks / scale.documents).max(1);
    // Units with focal officers, by the body they belong to.
    let mut units: HashMap<OrgId, Vec<OrgId>> = HashMap::new();
    for org in setting.orgs.iter() {
        if org.category == OrgCategory::SubordinateUnit
            && people.teams.contains_key(&org.id)
            && let Some(parent) = org.parent_id
        {
            units.entry(parent).or_default().push(org.id);
        }
    }
    let mut numbers: HashMap<i16, u32> = HashMap::new();
    let mut written = 0u64;
    let mut in_transaction = 0u64;
    let mut range = (0i64, 0i64);
    let mut writer = store.bulk_writer().await?;
    let mut index = 0u64;
    while written < scale.tasks {
        let document = register(setting, people, rng, &mut numbers, index, &mut writer).await?;
        if range.0 == 0 {
            range.0 = document.id.0;
        }
        range.1 = document.id.0;
        let count = rng.range(1, average * 2).min(scale.tasks - written);
        let mut made = 0;
        let mut ordinal = 0;
        while made < count {
            ordinal += 1;
            let mut task_rng = Rng::fork(seed, 2, written + made);
            let history = task_history(setting, people, leads, &mut task_rng, &document, ordinal)?;
            let committed = writer
                .insert_task(&document, &history)
                .await
                .with_context(|| format!("write task {ordinal} of {}", document.content.symbol))?;
            made += 1;
            let parent = committed.task;
            if made < count
                && parent.status == TaskStatus::InProgress
                // Unit officers are not cleared for classified tasks.
                && parent.confidentiality == Confidentiality::Normal
                && task_rng.chance(DELEGATED_PERCENT)
                && let Some(units) = units.get(&parent.lead_body)
            {
                let unit = *task_rng.pick(units);
                let parent = (&parent, history.as_slice());
                let rng = &mut task_rng;
                if delegate(setting, people, &mut writer, rng, &document, parent, unit).await? {
                    made += 1;
                }
            }
        }
        written += count;
        in_transaction += count;
        bar.set_position(written);
        if in_transaction >= batch {
            writer.commit().await?;
            writer = store.bulk_writer().await?;
            in_transaction = 0;
        }
        index += 1;
    }
    writer.commit().await?;
    Ok(range)
}

/// Delegates part of `parent` (its task and stored events) to `unit`, after the parent's last
/// event, and writes the sub-task and the parent's `Delegated` event. Returns false, having
/// written nothing, when that instant is after "now".
async fn delegate(
    setting: &Setting<'_>,
    people: &People,
    writer: &mut BulkWriter,
    rng: &mut Rng,
    document: &Document,
    (parent, history): (&Task, &[TaskEvent]),
    unit: OrgId,
) -> Result<bool> {
    let at = setting
        .calendar
        .add_working_minutes(parent.updated_at, rng.range(30, 2_000) as u32);
    if at > setting.now {
        return Ok(false);
    }
    let lead = people
        .teams
        .get(&parent.lead_body)
        .context("the lead body has no focal officers")?;
    let team = people
        .teams
        .get(&unit)
        .context("the unit has no focal officers")?;
    let delegator = rng.pick(&lead.updaters);
    let cast = Cast {
        office: delegator,
        monitor: rng.pick(&lead.approvers),
        updater: rng.pick(&team.updaters),
        approver: rng.pick(&team.approvers),
    };
    let sub_history = histories::build_subtask(setting, rng, parent, unit, &cast, at)?;
    let sub = writer
        .insert_task(document, &sub_history)
        .await
        .with_context(|| format!("write a sub-task of task {}", parent.id))?;
    let delegated = histories::delegation(setting, parent, sub.task.id, unit, delegator, at);
    writer
        .append_events(document, parent.id, history, &[delegated])
        .await
        .with_context(|| format!("record the delegation on task {}", parent.id))?;
    Ok(true)
}

async fn register(
    setting: &Setting<'_>,
    people: &People,
    rng: &mut Rng,
    numbers: &mut HashMap<i16, u32>,
    index: u64,
    writer: &mut BulkWriter,
) -> Result<Document> {
    let today = local_date(setting.now);
    let issue_date = today
        .checked_sub(Span::new().days(rng.range(3, HISTORY_DAYS as u64) as i64))
        .unwrap_or(today);
    let registered_on = setting.calendar.nth_working_day_after(issue_date, 1);
    let registered_at = at_local(registered_on.to_datetime(Time::constant(15, 0, 0, 0)));
    let (kind, title_start) = *rng.pick(&KINDS);
    let issuer = *rng.pick(&ISSUERS);
    let number = numbers.entry(issue_date.year()).or_insert(0);
    *number += 1;
    let confidentiality = match rng.range(0, 100) {
        0..=1 => Confidentiality::Secret,
        2..=4 => Confidentiality::Confidential,
        _ => Confidentiality::Normal,
    };
    let topic = rng.pick(&TOPICS);
    let org = |code: &str| {
        setting
            .orgs
            .by_code(code)
            .map(|org| org.id)
            .ok_or_else(|| anyhow!("the seed data has no {code}"))
    };
    let input = DocumentInput {
        kind: Some(kind.as_str().to_owned()),
        symbol: Some(format!("{number}-{}/TW", kind.abbreviations()[0])),
        title: Some(format!("{title_start} {topic}")),
        issue_date: Some(issue_date.to_string()),
        signer: Some("Thay mặt Ban Bí thư".to_owned()),
        issuing_body: Some(org(issuer)?),
        assigning_authority: Some(org(issuer)?),
        monitoring_body: Some(org("VPTW")?),
        confidentiality: Some(confidentiality.as_str().to_owned()),
        summary: (confidentiality == Confidentiality::Normal)
            .then(|| format!("Xác định mục tiêu, nhiệm vụ và giải pháp {topic}.")),
    };
    let content = input
        .validate(setting.orgs, registered_on)
        .map_err(|error| anyhow!("generated document {index}: {error}"))?;
    let actor = &people.office[index as usize % people.office.len()];
    let registration = DocumentRegistration {
        content: &content,
        entry_due: document::entry_due(setting.calendar, issue_date),
        calendar_version: &setting.calendar.version().0,
        actor,
        now: registered_at,
        reason: None,
    };
    Ok(writer.register_document(&registration).await?)
}

fn task_history(
    setting: &Setting<'_>,
    people: &People,
    leads: &[OrgId],
    rng: &mut Rng,
    document: &Document,
    ordinal: u64,
) -> Result<Vec<theodoi_domain::task::event::TaskEvent>> {
    let lead = *rng.pick(leads);
    let mut coordinating = Vec::new();
    if rng.chance(30) {
        for _ in 0..rng.range(1, 3) {
            let other = *rng.pick(leads);
            if other != lead && !coordinating.contains(&other) {
                coordinating.push(other);
            }
        }
    }
    let team = people
        .teams
        .get(&lead)
        .with_context(|| format!("body {lead} has no focal officers"))?;
    let cast = Cast {
        office: rng.pick(&people.office),
        monitor: rng.pick(&people.monitors),
        updater: rng.pick(&team.updaters),
        approver: rng.pick(&team.approvers),
    };
    let created_at = document.registered_at + jiff::SignedDuration::from_mins(5 * ordinal as i64);
    let assignment = Assignment {
        lead,
        coordinating,
        ordinal: u32::try_from(ordinal).unwrap_or(u32::MAX),
        created_at,
    };
    histories::build(setting, rng, document, &assignment, &cast)
        .with_context(|| format!("history of task {ordinal} of {}", document.content.symbol))
}
