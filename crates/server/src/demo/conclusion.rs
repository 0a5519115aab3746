//! An invented Kết luận of the Politburo on digital transformation, issued about three months
//! before "now". It shows two returned tasks (one reassigned on time, one adjusted late), a
//! draft update waiting for approval, and a body that never confirmed receipt.

use super::people::{CENTRAL_OFFICE, GOVERNMENT, HANOI, HO_CHI_MINH, MONITOR, THANH_HOA, Team};
use super::seeder::{DocumentSpec, Seeder, TaskSpec, completion, progress, ramp};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::schedule::CheckpointKind;
use theodoi_domain::task::event::{FeedbackKind, UrgeChannel};
use theodoi_domain::task::update::Rating;
use theodoi_domain::task::{FeedbackDecision, TaskCommand, TaskEditInput};
use theodoi_store::StoreResult;

/// Hà Nội's team on a task whose updates the monitoring body has not evaluated.
const HANOI_UNEVALUATED: Team = Team {
    evaluator: None,
    ..HANOI
};

/// Registers the conclusion and plays the history of its tasks.
pub(super) async fn seed(s: &Seeder<'_>) -> StoreResult<()> {
    let c = &s.clock;
    let issued = c.working_day_before(65);
    let entered = c.working_day_before(64);
    let document = s
        .register(&DocumentSpec {
            kind: DocumentKind::Conclusion,
            symbol: "146-KL/TW",
            title: "Kết luận của Bộ Chính trị về đẩy mạnh chuyển đổi số, xây dựng cơ sở dữ liệu trong các cơ quan của Đảng",
            issue_date: issued,
            signer: "Thay mặt Bộ Chính trị",
            issuing_body: "VPTW",
            assigning_authority: "BCT",
            confidentiality: Confidentiality::Normal,
            summary: Some("Đánh giá kết quả chuyển đổi số trong các cơ quan của Đảng thời gian qua; giao nhiệm vụ số hoá hồ sơ, tài liệu, xây dựng cơ sở dữ liệu dùng chung và kết nối với cơ sở dữ liệu quốc gia."),
            registered_at: c.at(issued, 16, 0),
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

    // Hà Nội: reported at half-way (never evaluated) and has a new draft waiting for approval.
    let archives = enter(
        0,
        TaskSpec {
            lead: "TU-HNI",
            content: Some("Hoàn thành số hoá hồ sơ, tài liệu lưu trữ của các cơ quan đảng thành phố và đưa vào khai thác trên nền tảng dùng chung.".into()),
            expected_products: Some("Kho hồ sơ, tài liệu số của các cơ quan đảng thành phố."),
            deadline: Some(c.days_from_today(40)),
            priority: Some("key"),
            scope: Some("locality"),
            scope_detail: Some("Thành phố Hà Nội"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(archives, HANOI.updater, c.at(entered, 15, 0))
        .await?;
    s.report_at_checkpoints(archives, &HANOI_UNEVALUATED, c.now, |_, checkpoint| {
        (checkpoint.kind == CheckpointKind::Half).then_some(35)
    })
    .await?;
    s.draft(
        archives,
        &HANOI,
        c.recent(45),
        progress(55, "Đã số hoá xong hồ sơ của 12 cơ quan; đang chuẩn hoá dữ liệu trước khi đưa lên nền tảng dùng chung."),
    )
    .await?;

    // Thanh Hoá: completed on time with its half-way report.
    let documents = enter(
        1,
        TaskSpec {
            lead: "TU-THA",
            content: Some("Triển khai phần mềm quản lý văn bản và hồ sơ điện tử thống nhất đến các đảng uỷ cơ sở trực thuộc Tỉnh uỷ.".into()),
            deadline: Some(c.days_from_today(-40)),
            scope: Some("locality"),
            scope_detail: Some("Tỉnh Thanh Hoá"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(documents, THANH_HOA.updater, c.at(entered, 15, 30))
        .await?;
    s.report_at_checkpoints(
        documents,
        &THANH_HOA,
        c.at(c.working_day_before(34), 8, 0),
        |_, checkpoint| (checkpoint.kind == CheckpointKind::Half).then_some(50),
    )
    .await?;
    let update = s
        .report(
            documents,
            &THANH_HOA,
            c.at(c.working_day_before(32), 9, 0),
            c.at(c.working_day_before(32), 10, 0),
            completion(
                c.working_day_before(33),
                "Phần mềm đã được triển khai đến toàn bộ đảng uỷ cơ sở trực thuộc; đã tập huấn cho văn thư các đơn vị.",
                "Báo cáo kết quả triển khai phần mềm quản lý văn bản",
            ),
        )
        .await?;
    s.evaluate(
        documents,
        MONITOR,
        c.at(c.working_day_before(31), 9, 30),
        update,
        Rating::Good,
    )
    .await?;

    // Hồ Chí Minh City returns the task as outside its authority; the Central Office
    // reassigns it to the Government Party Committee the next morning.
    let interconnection = enter(
        2,
        TaskSpec {
            lead: "TU-HCM",
            content: Some("Xây dựng khung kiến trúc kết nối, chia sẻ dữ liệu giữa hệ thống thông tin của các cơ quan đảng và các cơ sở dữ liệu quốc gia do Chính phủ quản lý.".into()),
            deadline: Some(c.days_from_today(25)),
            priority: Some("key"),
            scope: Some("sector"),
            scope_detail: Some("Chuyển đổi số"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(interconnection, HO_CHI_MINH.updater, c.at(entered, 16, 0))
        .await?;
    s.act(
        interconnection,
        HO_CHI_MINH.updater,
        c.at(c.working_day_before(63), 10, 0),
        TaskCommand::Return {
            kind: FeedbackKind::OutsideAuthority,
        },
        Some("Các cơ sở dữ liệu quốc gia do Chính phủ quản lý; đề nghị giao Đảng uỷ Chính phủ chủ trì, Thành uỷ phối hợp khi được yêu cầu."),
    )
    .await?;
    let government = s.org("DUCP")?;
    s.act(
        interconnection,
        CENTRAL_OFFICE,
        c.at(c.working_day_before(62), 10, 0),
        TaskCommand::HandleFeedback(FeedbackDecision::Reassign { to: government }),
        Some(
            "Tiếp thu phản hồi của Thành uỷ Thành phố Hồ Chí Minh, giao Đảng uỷ Chính phủ chủ trì.",
        ),
    )
    .await?;
    s.confirm(
        interconnection,
        GOVERNMENT.updater,
        c.at(c.working_day_before(62), 14, 30),
    )
    .await?;
    s.report_at_checkpoints(interconnection, &GOVERNMENT, c.now, |index, _| {
        Some(ramp(30, 25, index))
    })
    .await?;

    // Thanh Hoá returns a task late as wrongly worded; the Central Office adjusts it late too,
    // and the body has fallen behind since.
    let data_centre = enter(
        3,
        TaskSpec {
            lead: "TU-THA",
            content: Some(
                "Xây dựng trung tâm dữ liệu dùng chung của các cơ quan đảng khu vực Bắc Trung Bộ."
                    .into(),
            ),
            deadline: Some(c.days_from_today(-12)),
            scope: Some("locality"),
            scope_detail: Some("Khu vực Bắc Trung Bộ"),
            ..Default::default()
        },
    )
    .await?;
    s.confirm(data_centre, THANH_HOA.updater, c.at(entered, 16, 10))
        .await?;
    s.act(
        data_centre,
        THANH_HOA.updater,
        c.at(c.working_day_before(58), 10, 0),
        TaskCommand::Return {
            kind: FeedbackKind::WrongContent,
        },
        Some("Tỉnh uỷ không có thẩm quyền xây dựng trung tâm dữ liệu cho cả khu vực; đề nghị điều chỉnh phạm vi về địa bàn tỉnh."),
    )
    .await?;
    s.act(
        data_centre,
        CENTRAL_OFFICE,
        c.at(c.working_day_before(54), 9, 0),
        TaskCommand::HandleFeedback(FeedbackDecision::Adjust(TaskEditInput {
            content: Some("Xây dựng trung tâm dữ liệu dùng chung của các cơ quan đảng tỉnh Thanh Hoá, sẵn sàng kết nối với các tỉnh trong khu vực Bắc Trung Bộ.".into()),
            ..Default::default()
        })),
        Some("Điều chỉnh phạm vi nhiệm vụ theo phản hồi của Tỉnh uỷ."),
    )
    .await?;
    s.confirm(
        data_centre,
        THANH_HOA.updater,
        c.at(c.working_day_before(54), 10, 0),
    )
    .await?;
    s.act(
        data_centre,
        MONITOR,
        c.at(c.working_day_before(16), 9, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::Meeting,
        },
        Some("Nhắc tại cuộc họp giao ban: Tỉnh uỷ chưa báo cáo tiến độ giữa kỳ."),
    )
    .await?;
    let update = s
        .report(
            data_centre,
            &THANH_HOA,
            c.at(c.working_day_before(12), 9, 0),
            c.at(c.working_day_before(12), 10, 0),
            progress(
                30,
                "Đã phê duyệt chủ trương đầu tư; đang lựa chọn đơn vị tư vấn thiết kế.",
            ),
        )
        .await?;
    s.evaluate(
        data_centre,
        MONITOR,
        c.at(c.working_day_before(11), 9, 30),
        update,
        Rating::Satisfactory,
    )
    .await?;

    // Đà Nẵng has no focal officer in the system yet: the task was never received.
    let assistant = enter(
        4,
        TaskSpec {
            lead: "TU-DNG",
            content: Some("Thí điểm trợ lý ảo hỗ trợ cán bộ tra cứu văn bản, nhiệm vụ trong các cơ quan đảng thành phố.".into()),
            deadline: Some(c.days_from_today(-20)),
            scope: Some("locality"),
            scope_detail: Some("Thành phố Đà Nẵng"),
            other: Some("emerging"),
            ..Default::default()
        },
    )
    .await?;
    s.act(
        assistant,
        MONITOR,
        c.at(c.working_day_before(50), 9, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::Fax,
        },
        Some("Gửi fax đề nghị Thành uỷ xác nhận tiếp nhận nhiệm vụ và phân công đầu mối cập nhật."),
    )
    .await?;
    s.act(
        assistant,
        MONITOR,
        c.at(c.working_day_before(30), 9, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::Report,
        },
        Some(
            "Nêu trong báo cáo tháng gửi Thường trực Ban Bí thư: Thành uỷ chưa tiếp nhận nhiệm vụ.",
        ),
    )
    .await?;
    Ok(())
}
