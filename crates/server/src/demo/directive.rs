//! An invented Chỉ thị of the Secretariat on reporting discipline, issued about two months
//! before "now". It shows an update sent back by the approver and then approved, requested
//! updates met and missed, a task entered late, and a task without a deadline completed.

use super::people::{GOVERNMENT, HANOI, HO_CHI_MINH, MONITOR, THANH_HOA};
use super::seeder::{DocumentSpec, Seeder, TaskSpec, completion, progress, ramp};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::schedule::{CheckpointKind, Period};
use theodoi_domain::task::TaskCommand;
use theodoi_domain::task::event::UrgeChannel;
use theodoi_domain::task::update::Rating;
use theodoi_store::StoreResult;

/// Registers the directive and plays the history of its tasks.
pub(super) async fn seed(s: &Seeder<'_>) -> StoreResult<()> {
    let c = &s.clock;
    let issued = c.working_day_before(45);
    let entered = c.working_day_before(44);
    let document = s
        .register(&DocumentSpec {
            kind: DocumentKind::Directive,
            symbol: "47-CT/TW",
            title: "Chỉ thị của Ban Bí thư về tăng cường kỷ luật, kỷ cương trong chế độ thông tin, báo cáo kết quả thực hiện nhiệm vụ được giao",
            issue_date: issued,
            signer: "Thay mặt Ban Bí thư",
            issuing_body: "VPTW",
            assigning_authority: "BBT",
            confidentiality: Confidentiality::Normal,
            summary: Some("Yêu cầu các cấp uỷ, tổ chức đảng báo cáo đầy đủ, đúng hạn, đúng thực tế kết quả thực hiện nhiệm vụ được giao; xác định trách nhiệm người đứng đầu khi chậm báo cáo hoặc báo cáo sai lệch."),
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

    // Thanh Hoá: its second update was sent back by the approver, corrected and approved a
    // moment ago, so the evaluation is still to come.
    let inspection = enter(
        0,
        TaskSpec {
            lead: "TU-THA",
            content: Some("Kiểm tra việc chấp hành chế độ thông tin, báo cáo về thực hiện nhiệm vụ được giao tại các đảng bộ trực thuộc; xử lý nghiêm các trường hợp chậm báo cáo hoặc báo cáo sai lệch.".into()),
            deadline: Some(c.days_from_today(10)),
            scope: Some("locality"),
            scope_detail: Some("Tỉnh Thanh Hoá"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(inspection, THANH_HOA.updater, c.at(entered, 15, 0))
        .await?;
    s.report_at_checkpoints(
        inspection,
        &THANH_HOA,
        c.at(c.working_day_before(4), 8, 0),
        |_, checkpoint| (checkpoint.kind == CheckpointKind::Half).then_some(50),
    )
    .await?;
    let update = s
        .draft(
            inspection,
            &THANH_HOA,
            c.at(c.working_day_before(3), 9, 0),
            progress(70, "Đã kiểm tra 18 đảng bộ trực thuộc."),
        )
        .await?;
    s.act(
        inspection,
        THANH_HOA.approver,
        c.at(c.working_day_before(3), 15, 0),
        TaskCommand::ReturnUpdate { update },
        Some("Đề nghị bổ sung số đảng bộ chậm báo cáo và hình thức xử lý đối với từng trường hợp."),
    )
    .await?;
    s.act(
        inspection,
        THANH_HOA.updater,
        c.at(c.working_day_before(2), 9, 0),
        TaskCommand::EditUpdate {
            update,
            input: progress(70, "Đã kiểm tra 18 đảng bộ trực thuộc; 3 đảng bộ chậm báo cáo đã bị nhắc nhở bằng văn bản, 1 đảng bộ phải kiểm điểm trách nhiệm."),
        },
        None,
    )
    .await?;
    s.act(
        inspection,
        THANH_HOA.approver,
        c.at(c.working_day_before(2), 10, 0),
        TaskCommand::ApproveUpdate { update },
        None,
    )
    .await?;

    // Hồ Chí Minh City: nothing reported, a requested update missed, urged through the system.
    let focal_points = enter(
        1,
        TaskSpec {
            lead: "TU-HCM",
            content: Some("Bố trí đầu mối cập nhật, đầu mối phê duyệt tại từng cơ quan, đơn vị trực thuộc và gửi danh sách về Văn phòng Trung ương Đảng.".into()),
            deadline: Some(c.days_from_today(10)),
            scope: Some("locality"),
            scope_detail: Some("Thành phố Hồ Chí Minh"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(focal_points, HO_CHI_MINH.updater, c.at(entered, 15, 30))
        .await?;
    s.act(
        focal_points,
        MONITOR,
        c.at(c.working_day_before(10), 9, 0),
        TaskCommand::RequestUpdate {
            due: c.working_day_before(5),
        },
        None,
    )
    .await?;
    s.act(
        focal_points,
        MONITOR,
        c.at(c.working_day_before(4), 9, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::System,
        },
        Some("Nhắc trên Hệ thống: quá hạn báo cáo theo yêu cầu, đề nghị cập nhật ngay danh sách đầu mối."),
    )
    .await?;

    // The Government Party Committee's task was entered a month after the directive: it met
    // the update requested of it, but its evaluation came late.
    let review = s
        .add_task(
            document.id,
            c.at(c.working_day_before(19), 9, 0),
            TaskSpec {
                lead: "DUCP",
                content: Some("Chỉ đạo các đảng bộ trực thuộc rà soát, cập nhật đầy đủ dữ liệu về nhiệm vụ được giao lên Hệ thống trước kỳ đánh giá quý.".into()),
                deadline: Some(c.days_from_today(35)),
                scope: Some("sector"),
                scope_detail: Some("Khối các cơ quan Chính phủ"),
                ..Default::default()
            },
        )
        .await?;
    s.transfer(review, c.at(c.working_day_before(18), 9, 0))
        .await?;
    s.confirm(
        review,
        GOVERNMENT.updater,
        c.at(c.working_day_before(18), 10, 0),
    )
    .await?;
    s.act(
        review,
        MONITOR,
        c.at(c.working_day_before(9), 9, 0),
        TaskCommand::RequestUpdate {
            due: c.working_day_before(4),
        },
        None,
    )
    .await?;
    let update = s
        .report(
            review,
            &GOVERNMENT,
            c.at(c.working_day_before(5), 9, 0),
            c.at(c.working_day_before(5), 10, 0),
            progress(
                20,
                "Đã ban hành văn bản chỉ đạo; 5 trên 25 đảng bộ trực thuộc đã hoàn thành rà soát.",
            ),
        )
        .await?;
    s.evaluate(
        review,
        MONITOR,
        c.at(c.working_day_before(1), 9, 0),
        update,
        Rating::Satisfactory,
    )
    .await?;

    // Hà Nội: a task without a deadline, reported monthly and completed.
    let briefing = enter(
        2,
        TaskSpec {
            lead: "TU-HNI",
            content: Some("Quán triệt nội dung Chỉ thị đến toàn thể cán bộ, đảng viên trong Đảng bộ Thành phố; gắn trách nhiệm người đứng đầu với chất lượng thông tin, báo cáo.".into()),
            period: Some(Period::Monthly),
            scope: Some("locality"),
            scope_detail: Some("Thành phố Hà Nội"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(briefing, HANOI.updater, c.at(entered, 15, 15))
        .await?;
    s.report_at_checkpoints(
        briefing,
        &HANOI,
        c.at(c.working_day_before(16), 8, 0),
        |index, _| Some(ramp(40, 30, index).min(90)),
    )
    .await?;
    let update = s
        .report(
            briefing,
            &HANOI,
            c.at(c.working_day_before(15), 9, 0),
            c.at(c.working_day_before(15), 10, 0),
            completion(
                c.working_day_before(16),
                "Đã tổ chức quán triệt đến 100% chi bộ; các đảng bộ trực thuộc đã bổ sung trách nhiệm người đứng đầu vào quy chế làm việc.",
                "Báo cáo kết quả quán triệt Chỉ thị",
            ),
        )
        .await?;
    s.evaluate(
        briefing,
        MONITOR,
        c.at(c.working_day_before(14), 9, 30),
        update,
        Rating::Good,
    )
    .await?;
    Ok(())
}
