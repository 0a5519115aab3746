//! An invented Mật (confidential) Kết luận of the Politburo. The system keeps only what the
//! regulation allows for this level: no summary, no task content, and updates that report
//! nothing but the final outcome.

use super::people::{HANOI, HANOI_MONITOR, MONITOR, Team};
use super::seeder::{DocumentSpec, Seeder, TaskSpec};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::task::TaskCommand;
use theodoi_domain::task::event::UrgeChannel;
use theodoi_domain::task::update::{Rating, UpdateInput};
use theodoi_store::StoreResult;

/// Hà Nội's team for classified tasks, with its second approver, who also has the clearance.
const HANOI_CLASSIFIED: Team = Team {
    approver: HANOI_MONITOR,
    ..HANOI
};

/// Registers the classified conclusion and plays the history of its three tasks.
pub(super) async fn seed(s: &Seeder<'_>) -> StoreResult<()> {
    let c = &s.clock;
    let issued = c.working_day_before(30);
    let entered = c.working_day_before(29);
    let document = s
        .register(&DocumentSpec {
            kind: DocumentKind::Conclusion,
            symbol: "151-KL/TW",
            title: "Kết luận của Bộ Chính trị về một số nhiệm vụ bảo đảm an ninh thông tin trên địa bàn trọng điểm",
            issue_date: issued,
            signer: "Thay mặt Bộ Chính trị",
            issuing_body: "BNCTW",
            assigning_authority: "BCT",
            confidentiality: Confidentiality::Confidential,
            summary: None,
            registered_at: c.at(issued, 15, 0),
        })
        .await?;
    let classified = |deadline| TaskSpec {
        lead: "TU-HNI",
        content: None,
        deadline: Some(deadline),
        priority: Some("key"),
        scope: Some("locality"),
        scope_detail: Some("Thành phố Hà Nội"),
        ..Default::default()
    };

    // Completed on time; the update carries only the outcome and its date.
    let first = s
        .enter(
            document.id,
            c.at(entered, 9, 0),
            c.at(entered, 14, 0),
            classified(c.days_from_today(-5)),
        )
        .await?;
    s.confirm(first, HANOI.updater, c.at(entered, 15, 0))
        .await?;
    let update = s
        .report(
            first,
            &HANOI_CLASSIFIED,
            c.at(c.working_day_before(11), 9, 0),
            c.at(c.working_day_before(11), 14, 0),
            UpdateInput {
                status: Some("completed".into()),
                completion_date: Some(c.working_day_before(12).to_string()),
                ..Default::default()
            },
        )
        .await?;
    s.evaluate(
        first,
        MONITOR,
        c.at(c.working_day_before(10), 9, 30),
        update,
        Rating::Good,
    )
    .await?;

    // Received, not started, deadline ahead.
    let second = s
        .enter(
            document.id,
            c.at(entered, 9, 1),
            c.at(entered, 14, 1),
            classified(c.days_from_today(30)),
        )
        .await?;
    s.confirm(second, HANOI.updater, c.at(entered, 15, 5))
        .await?;

    // Received, not started, deadline passed: urged in person.
    let third = s
        .enter(
            document.id,
            c.at(entered, 9, 2),
            c.at(entered, 14, 2),
            classified(c.working_day_before(3)),
        )
        .await?;
    s.confirm(third, HANOI.updater, c.at(entered, 15, 10))
        .await?;
    s.act(
        third,
        MONITOR,
        c.at(c.working_day_before(2), 9, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::Other,
        },
        Some("Làm việc trực tiếp với đầu mối của Thành uỷ."),
    )
    .await?;
    Ok(())
}
