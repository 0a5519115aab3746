//! Two invented documents of the last working days before "now": a Thông báo whose tasks were
//! just transferred (receipt, feedback and feedback-handling clocks still running), and a
//! Thông báo kết luận whose tasks are still drafts waiting to be entered.

use super::people::{HANOI, HO_CHI_MINH};
use super::seeder::{DocumentSpec, Seeder, TaskSpec};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::schedule::Period;
use theodoi_domain::task::TaskCommand;
use theodoi_domain::task::event::FeedbackKind;
use theodoi_store::StoreResult;

/// Registers both documents and plays the history of their tasks.
pub(super) async fn seed(s: &Seeder<'_>) -> StoreResult<()> {
    just_transferred(s).await?;
    awaiting_entry(s).await
}

async fn just_transferred(s: &Seeder<'_>) -> StoreResult<()> {
    let c = &s.clock;
    let issued = c.working_day_before(2);
    let entered = c.working_day_before(1);
    let document = s
        .register(&DocumentSpec {
            kind: DocumentKind::Notice,
            symbol: "215-TB/TW",
            title: "Thông báo ý kiến của Thường trực Ban Bí thư về việc rà soát dữ liệu nhiệm vụ trên Hệ thống theo dõi, đánh giá",
            issue_date: issued,
            signer: "Thừa lệnh Ban Bí thư, Phó Chánh Văn phòng Trung ương Đảng",
            issuing_body: "VPTW",
            assigning_authority: "TTBBT",
            confidentiality: Confidentiality::Normal,
            summary: Some("Yêu cầu các thành uỷ, tỉnh uỷ rà soát, đối soát dữ liệu nhiệm vụ trên Hệ thống với hồ sơ lưu trữ trước kỳ tổng hợp báo cáo tháng."),
            registered_at: c.at(issued, 15, 0),
        })
        .await?;
    let urgent = |lead, locality, content: &str| TaskSpec {
        lead,
        content: Some(content.to_owned()),
        deadline: Some(c.days_from_today(14)),
        priority: Some("urgent"),
        scope: Some("locality"),
        scope_detail: Some(locality),
        other: Some("ad_hoc"),
        ..Default::default()
    };

    // Hà Nội returned the task within its feedback window; the Central Office has until the
    // end of the next working day to handle it.
    let hanoi = s
        .add_task(
            document.id,
            c.at(entered, 8, 30),
            urgent(
                "TU-HNI",
                "Thành phố Hà Nội",
                "Rà soát, đối soát toàn bộ dữ liệu nhiệm vụ của Thành uỷ Hà Nội trên Hệ thống với hồ sơ lưu trữ; báo cáo các trường hợp trùng lặp hoặc sai lệch.",
            ),
        )
        .await?;
    s.transfer(hanoi, c.recent(200)).await?;
    s.confirm(hanoi, HANOI.updater, c.recent(150)).await?;
    s.act(
        hanoi,
        HANOI.updater,
        c.recent(30),
        TaskCommand::Return {
            kind: FeedbackKind::WrongContent,
        },
        Some("Thành uỷ đã đối soát toàn bộ dữ liệu trong quý này; đề nghị làm rõ phạm vi cần rà soát lại (nhiệm vụ phát sinh sau ngày đối soát hay toàn bộ)."),
    )
    .await?;

    // Hồ Chí Minh City received the task a moment ago; its feedback window is still open.
    let hcm = s
        .add_task(
            document.id,
            c.at(entered, 8, 31),
            urgent(
                "TU-HCM",
                "Thành phố Hồ Chí Minh",
                "Rà soát, đối soát dữ liệu nhiệm vụ của Thành uỷ Thành phố Hồ Chí Minh trên Hệ thống; chỉnh sửa các thông tin sai lệch.",
            ),
        )
        .await?;
    s.transfer(hcm, c.recent(199)).await?;
    s.confirm(hcm, HO_CHI_MINH.updater, c.recent(60)).await?;

    // Thanh Hoá's standing task was transferred minutes ago and waits for receipt.
    let thanh_hoa = s
        .add_task(
            document.id,
            c.at(entered, 8, 32),
            TaskSpec {
                lead: "TU-THA",
                content: Some("Duy trì đối soát dữ liệu nhiệm vụ hằng tháng giữa Hệ thống và báo cáo của Tỉnh uỷ.".into()),
                period: Some(Period::Monthly),
                scope: Some("locality"),
                scope_detail: Some("Tỉnh Thanh Hoá"),
                ..Default::default()
            },
        )
        .await?;
    s.transfer(thanh_hoa, c.recent(15)).await?;
    Ok(())
}

async fn awaiting_entry(s: &Seeder<'_>) -> StoreResult<()> {
    let c = &s.clock;
    let document = s
        .register(&DocumentSpec {
            kind: DocumentKind::MeetingConclusionNotice,
            symbol: "228-TB/TW",
            title: "Thông báo kết luận cuộc họp Ban Bí thư về chuẩn bị báo cáo tổng kết công tác năm của các cơ quan đảng",
            issue_date: c.working_day_before(1),
            signer: "Thay mặt Ban Bí thư",
            issuing_body: "VPTW",
            assigning_authority: "BBT",
            confidentiality: Confidentiality::Normal,
            summary: Some("Giao các cấp uỷ, cơ quan đảng chuẩn bị báo cáo tổng kết công tác năm, trong đó đánh giá rõ kết quả thực hiện nhiệm vụ được giao trên Hệ thống theo dõi, đánh giá."),
            registered_at: c.recent(120),
        })
        .await?;
    let drafts = [
        (
            "TU-HNI",
            "Chuẩn bị báo cáo tổng kết công tác năm của Thành uỷ Hà Nội, làm rõ kết quả thực hiện các nhiệm vụ Trung ương giao.",
        ),
        (
            "TU-HCM",
            "Chuẩn bị báo cáo tổng kết công tác năm của Thành uỷ Thành phố Hồ Chí Minh, làm rõ kết quả thực hiện các nhiệm vụ Trung ương giao.",
        ),
        (
            "BTCTW",
            "Đề xuất việc sử dụng kết quả thực hiện nhiệm vụ trên Hệ thống khi đánh giá, xếp loại cán bộ lãnh đạo, quản lý cuối năm.",
        ),
    ];
    for (offset, (lead, content)) in (0..).zip(drafts) {
        s.add_task(
            document.id,
            c.recent(110 - offset),
            TaskSpec {
                lead,
                content: Some(content.to_owned()),
                deadline: Some(c.days_from_today(25)),
                ..Default::default()
            },
        )
        .await?;
    }
    Ok(())
}
