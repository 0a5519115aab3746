//! An invented Kế hoạch of the Secretariat, issued about five months before "now". It shows
//! tasks of three to six months with their half-way and three-quarter checkpoints, a standing
//! task without a deadline, and a task completed on time whose final report came late.

use super::people::{GOVERNMENT, HANOI, HO_CHI_MINH, MONITOR, THANH_HOA};
use super::seeder::{DocumentSpec, Seeder, TaskSpec, completion};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::schedule::{CheckpointKind, Period};
use theodoi_domain::task::TaskCommand;
use theodoi_domain::task::event::UrgeChannel;
use theodoi_domain::task::update::Rating;
use theodoi_store::StoreResult;

/// Registers the plan and plays the history of its tasks.
pub(super) async fn seed(s: &Seeder<'_>) -> StoreResult<()> {
    let c = &s.clock;
    let issued = c.working_day_before(110);
    let entered = c.working_day_before(109);
    let document = s
        .register(&DocumentSpec {
            kind: DocumentKind::Plan,
            symbol: "52-KH/TW",
            title: "Kế hoạch nâng cao chất lượng công tác tham mưu, tổng hợp và theo dõi việc thực hiện nhiệm vụ của văn phòng cấp uỷ các cấp",
            issue_date: issued,
            signer: "Thay mặt Ban Bí thư",
            issuing_body: "VPTW",
            assigning_authority: "BBT",
            confidentiality: Confidentiality::Normal,
            summary: Some("Xác định các nhiệm vụ chuẩn hoá quy trình tiếp nhận, xử lý văn bản giao nhiệm vụ, xây dựng cơ sở dữ liệu nhiệm vụ và tăng cường đối soát dữ liệu giữa văn phòng cấp uỷ các cấp với Văn phòng Trung ương Đảng."),
            registered_at: c.at(issued, 15, 0),
        })
        .await?;
    let enter = |minute: i8, spec: TaskSpec| {
        s.enter(
            document.id,
            c.at(entered, 9, minute),
            c.at(entered, 14, minute),
            spec,
        )
    };

    // Hà Nội met both checkpoints but is now a few days past its deadline; its final report
    // is still to come.
    let database = enter(
        0,
        TaskSpec {
            lead: "TU-HNI",
            content: Some("Xây dựng cơ sở dữ liệu nhiệm vụ do Thành uỷ giao và kết nối với Hệ thống theo dõi, đánh giá của Trung ương.".into()),
            expected_products: Some("Cơ sở dữ liệu nhiệm vụ của Thành uỷ được kết nối với Hệ thống của Trung ương."),
            deadline: Some(c.days_from_today(-3)),
            priority: Some("key"),
            scope: Some("locality"),
            scope_detail: Some("Thành phố Hà Nội"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(database, HANOI.updater, c.at(entered, 15, 30))
        .await?;
    s.report_at_checkpoints(
        database,
        &HANOI,
        c.at(c.working_day_before(3), 8, 0),
        |_, checkpoint| match checkpoint.kind {
            CheckpointKind::Half => Some(30),
            CheckpointKind::ThreeQuarters => Some(65),
            CheckpointKind::Period { .. } => Some(50),
        },
    )
    .await?;
    let inspection = s.org("UBKTTW")?;
    s.act(
        database,
        HANOI.approver,
        c.at(c.working_day_before(2), 10, 0),
        TaskCommand::ReportDifficulty {
            copied_to: Some(inspection),
        },
        Some("Việc chuẩn hoá dữ liệu của các đảng bộ trực thuộc kéo dài hơn dự kiến; Thành uỷ đề nghị được hoàn thành kết nối trong tháng tới."),
    )
    .await?;

    // Thanh Hoá reported at half-way but skipped the three-quarter checkpoint: urged, then
    // asked for an update that is not yet due.
    let procedures = enter(
        1,
        TaskSpec {
            lead: "TU-THA",
            content: Some("Chuẩn hoá quy trình tiếp nhận, xử lý văn bản giao nhiệm vụ tại Văn phòng Tỉnh uỷ và các cơ quan tham mưu, giúp việc của Tỉnh uỷ.".into()),
            deadline: Some(c.days_from_today(5)),
            scope: Some("locality"),
            scope_detail: Some("Tỉnh Thanh Hoá"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(procedures, THANH_HOA.updater, c.at(entered, 16, 0))
        .await?;
    s.report_at_checkpoints(procedures, &THANH_HOA, c.now, |_, checkpoint| {
        (checkpoint.kind == CheckpointKind::Half).then_some(40)
    })
    .await?;
    s.act(
        procedures,
        MONITOR,
        c.at(c.working_day_before(6), 15, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::OnlineMeeting,
        },
        Some("Nhắc tại hội nghị trực tuyến giao ban văn phòng cấp uỷ: Tỉnh uỷ chưa báo cáo tiến độ sau ba phần tư thời gian thực hiện."),
    )
    .await?;
    s.act(
        procedures,
        MONITOR,
        c.at(c.working_day_before(2), 9, 0),
        TaskCommand::RequestUpdate {
            due: c.working_day_after(3),
        },
        None,
    )
    .await?;

    // Hồ Chí Minh City's standing task: received, but no monthly report so far.
    let reconciliation = enter(
        2,
        TaskSpec {
            lead: "TU-HCM",
            content: Some("Thường xuyên cập nhật, đối soát dữ liệu về tình hình thực hiện nhiệm vụ của Thành uỷ trên Hệ thống; kịp thời điều chỉnh các thông tin sai lệch, trùng lặp.".into()),
            period: Some(Period::Monthly),
            scope: Some("locality"),
            scope_detail: Some("Thành phố Hồ Chí Minh"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(reconciliation, HO_CHI_MINH.updater, c.at(entered, 16, 15))
        .await?;

    // The Government Party Committee finished on time but reported it weeks later.
    let backlog = enter(
        3,
        TaskSpec {
            lead: "DUCP",
            content: Some("Rà soát, tổng hợp các nhiệm vụ Trung ương giao cho Đảng bộ Chính phủ còn tồn đọng; đề xuất hướng xử lý đối với từng nhiệm vụ.".into()),
            expected_products: Some("Báo cáo rà soát nhiệm vụ tồn đọng và đề xuất hướng xử lý."),
            deadline: Some(c.days_from_today(-50)),
            scope: Some("sector"),
            scope_detail: Some("Khối các cơ quan Chính phủ"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(backlog, GOVERNMENT.updater, c.at(entered, 16, 30))
        .await?;
    s.report_at_checkpoints(
        backlog,
        &GOVERNMENT,
        c.at(c.working_day_before(46), 8, 0),
        |_, checkpoint| (checkpoint.kind == CheckpointKind::Half).then_some(50),
    )
    .await?;
    let update = s
        .report(
            backlog,
            &GOVERNMENT,
            c.at(c.working_day_before(31), 9, 0),
            c.at(c.working_day_before(30), 10, 0),
            completion(
                c.working_day_before(45),
                "Đã hoàn thành rà soát, phân loại các nhiệm vụ tồn đọng và gửi báo cáo đề xuất hướng xử lý.",
                "Báo cáo rà soát nhiệm vụ tồn đọng",
            ),
        )
        .await?;
    s.evaluate(
        backlog,
        MONITOR,
        c.at(c.working_day_before(29), 9, 30),
        update,
        Rating::Good,
    )
    .await?;
    Ok(())
}
