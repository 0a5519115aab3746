//! Quy chế 08-QC/TW of the Secretariat (5 November 2025) and the tasks its Article 18 assigns,
//! in our own words. The Central Party Office builds and runs the monitoring system, the
//! Government Cipher Committee secures it, and the Party committees issue their own rules.
//!
//! The document and its entry keep their real dates. What happened afterwards is placed
//! relative to "now", so that some deadlines have passed, some are ahead and one is absent.

use super::people::{
    CENTRAL_OFFICE, CIPHER, GOVERNMENT, HANOI, HANOI_MONITOR, HANOI_OFFICE, HANOI_PROPAGANDA,
    HO_CHI_MINH, MONITOR, OFFICE_TEAM, THANH_HOA,
};
use super::seeder::{DocumentSpec, Seeder, TaskSpec, completion, progress, ramp};
use jiff::civil::{Date, date};
use theodoi_domain::catalogue::ExecutingUnit;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::ids::{DocumentId, GroupId, TaskId};
use theodoi_domain::schedule::Period;
use theodoi_domain::task::event::UrgeChannel;
use theodoi_domain::task::update::{Rating, UpdateInput};
use theodoi_domain::task::{SubtaskInput, TaskCommand};
use theodoi_store::StoreResult;

/// Issue date of Quy chế 08-QC/TW.
pub(super) const ISSUED: Date = date(2025, 11, 5);
/// The day its tasks were entered and transferred, the next working day.
const ENTERED: Date = date(2025, 11, 6);

const TITLE: &str = "Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ được giao trên Hệ thống theo dõi, đánh giá dựa trên dữ liệu và theo thời gian thực";
const SUMMARY: &str = "Quy định nguyên tắc, nội dung và quy trình theo dõi, đôn đốc, kiểm tra việc thực hiện các nhiệm vụ do Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư giao trên một hệ thống dữ liệu thống nhất; trách nhiệm của cơ quan được giao, cơ quan theo dõi và cơ quan kiểm tra; chế độ báo cáo và cơ chế đánh giá, xếp loại kết quả thực hiện.";

/// Registers the regulation and plays the history of each task it assigns.
pub(super) async fn seed(s: &Seeder<'_>) -> StoreResult<()> {
    let c = &s.clock;
    let document = s
        .register(&DocumentSpec {
            kind: DocumentKind::Rules,
            symbol: "08-QC/TW",
            title: TITLE,
            issue_date: ISSUED,
            signer: "Thay mặt Ban Bí thư, Thường trực Ban Bí thư",
            issuing_body: "VPTW",
            assigning_authority: "BBT",
            confidentiality: Confidentiality::Normal,
            summary: Some(SUMMARY),
            registered_at: c.at(ISSUED, 16, 0),
        })
        .await?;
    let system = s
        .add_group(
            document.id,
            "Xây dựng, vận hành và bảo đảm an toàn Hệ thống theo dõi, đánh giá",
            ExecutingUnit::CentralPartyBody,
            "key",
            c.at(ENTERED, 8, 15),
        )
        .await?;
    let committees = s
        .add_group(
            document.id,
            "Ban hành quy chế theo dõi, đôn đốc, kiểm tra của các cấp uỷ",
            ExecutingUnit::ProvincialCommittee,
            "key",
            c.at(ENTERED, 8, 20),
        )
        .await?;

    office_tasks(s, document.id, system).await?;
    cipher_task(s, document.id, system).await?;
    hanoi_task(s, document.id, committees).await?;
    committee_tasks(s, document.id, committees).await
}

/// Enters the Central Party Office's own duties and plays their histories: build the system,
/// issue the indicator sets, guide and train, publish rankings, fund it, and bring in
/// controlled AI with warnings.
async fn office_tasks(s: &Seeder<'_>, document: DocumentId, group: GroupId) -> StoreResult<()> {
    let c = &s.clock;
    let enter = |minute: i8, spec: TaskSpec| {
        s.enter(
            document,
            c.at(ENTERED, 8, 30 + minute),
            c.at(ENTERED, 14, minute),
            TaskSpec {
                lead: "VPTW",
                group: Some(group),
                ..spec
            },
        )
    };
    let receive =
        |task: TaskId, minute: i8| s.confirm(task, OFFICE_TEAM.updater, c.at(ENTERED, 15, minute));

    // Build the system: in progress on time, with a quarterly report at every checkpoint.
    let build = enter(
        0,
        TaskSpec {
            content: Some("Làm đầu mối hoàn thiện và đưa Hệ thống theo dõi, đánh giá vào vận hành chính thức; bảo đảm hệ thống chạy ổn định, liên tục, giữ an toàn thông tin, tính toàn vẹn của dữ liệu và bí mật nhà nước.".into()),
            expected_products: Some("Hệ thống được nghiệm thu và vận hành chính thức; quy trình vận hành, sao lưu, khôi phục dữ liệu."),
            coordinating: vec!["BCYCP", "DUCQDTW"],
            deadline: Some(c.days_from_today(45)),
            period: Some(Period::Quarterly),
            priority: Some("key"),
            ..Default::default()
        },
    )
    .await?;
    receive(build, 30).await?;
    s.report_at_checkpoints(build, &OFFICE_TEAM, c.now, |index, _| {
        Some(ramp(20, 15, index))
    })
    .await?;

    // Indicator sets: completed on time, with its final report met.
    let indicators = enter(
        1,
        TaskSpec {
            content: Some("Soạn thảo, ban hành hướng dẫn về bộ chỉ số và tiêu chí đo mức độ hoàn thành nhiệm vụ, cũng như kết quả, hiệu quả thực tế của các nghị quyết, chỉ thị, kết luận, chương trình, đề án của Trung ương.".into()),
            expected_products: Some("Văn bản hướng dẫn bộ chỉ số, tiêu chí đánh giá."),
            deadline: Some(c.working_day_before(28)),
            period: Some(Period::Quarterly),
            priority: Some("key"),
            ..Default::default()
        },
    )
    .await?;
    receive(indicators, 31).await?;
    s.report_at_checkpoints(
        indicators,
        &OFFICE_TEAM,
        c.at(c.working_day_before(33), 8, 0),
        |index, _| Some(ramp(30, 25, index).min(80)),
    )
    .await?;
    let update = s
        .report(
            indicators,
            &OFFICE_TEAM,
            c.at(c.working_day_before(32), 9, 0),
            c.at(c.working_day_before(32), 10, 0),
            completion(
                c.working_day_before(33),
                "Đã ban hành hướng dẫn bộ chỉ số, tiêu chí đánh giá và gửi các cơ quan, địa phương.",
                "Hướng dẫn bộ chỉ số, tiêu chí đánh giá mức độ hoàn thành nhiệm vụ",
            ),
        )
        .await?;
    s.evaluate(
        indicators,
        MONITOR,
        c.at(c.working_day_before(31), 9, 30),
        update,
        Rating::Good,
    )
    .await?;

    // Guidance and training: completed after its deadline.
    let training = enter(
        2,
        TaskSpec {
            content: Some("Ban hành hướng dẫn quản lý, vận hành, khai thác và bảo đảm an toàn thông tin của Hệ thống; mở các lớp tập huấn sử dụng Hệ thống cho đầu mối cập nhật, đầu mối phê duyệt của các cơ quan, đơn vị.".into()),
            expected_products: Some("Tài liệu hướng dẫn vận hành; báo cáo kết quả các lớp tập huấn."),
            deadline: Some(c.working_day_before(14)),
            period: Some(Period::Quarterly),
            ..Default::default()
        },
    )
    .await?;
    receive(training, 32).await?;
    s.report_at_checkpoints(
        training,
        &OFFICE_TEAM,
        c.at(c.working_day_before(11), 8, 0),
        |index, _| Some(ramp(25, 25, index).min(85)),
    )
    .await?;
    let update = s
        .report(
            training,
            &OFFICE_TEAM,
            c.at(c.working_day_before(9), 9, 0),
            c.at(c.working_day_before(9), 14, 0),
            completion(
                c.working_day_before(10),
                "Đã ban hành hướng dẫn vận hành và hoàn thành các lớp tập huấn cho đầu mối của các cơ quan, địa phương; lớp cuối tổ chức chậm do phải bố trí lại lịch.",
                "Tài liệu hướng dẫn vận hành Hệ thống",
            ),
        )
        .await?;
    s.evaluate(
        training,
        MONITOR,
        c.at(c.working_day_before(8), 10, 0),
        update,
        Rating::Satisfactory,
    )
    .await?;

    // Rankings: a standing task without a deadline, reported every quarter.
    let rankings = enter(
        3,
        TaskSpec {
            content: Some("Hằng quý, hằng năm tổng hợp và công bố trên Hệ thống bảng xếp hạng tiến độ, kết quả thực hiện nhiệm vụ của các cơ quan, tổ chức, đảng viên.".into()),
            period: Some(Period::Quarterly),
            ..Default::default()
        },
    )
    .await?;
    receive(rankings, 33).await?;
    s.report_at_checkpoints(rankings, &OFFICE_TEAM, c.now, |index, _| {
        Some(ramp(25, 20, index))
    })
    .await?;

    // Funding: no progress reported at any monthly checkpoint, so the monitoring officer urges
    // the body and requests an update.
    let funding = enter(
        4,
        TaskSpec {
            content: Some("Bảo đảm kinh phí hằng năm cho việc duy trì Hệ thống và cho các khoá bồi dưỡng kỹ năng số của cán bộ, công chức, viên chức trực tiếp sử dụng Hệ thống.".into()),
            deadline: Some(c.days_from_today(120)),
            period: Some(Period::Monthly),
            ..Default::default()
        },
    )
    .await?;
    receive(funding, 34).await?;
    s.act(
        funding,
        MONITOR,
        c.at(c.working_day_before(12), 10, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::Email,
        },
        Some("Đề nghị bộ phận kế hoạch – tài chính cập nhật tình hình bố trí kinh phí duy trì Hệ thống trước kỳ báo cáo tháng."),
    )
    .await?;
    s.act(
        funding,
        MONITOR,
        c.at(c.working_day_before(1), 9, 0),
        TaskCommand::RequestUpdate {
            due: c.working_day_after(5),
        },
        None,
    )
    .await?;

    // Controlled AI and early warnings: in progress, far from its deadline.
    let warnings = enter(
        5,
        TaskSpec {
            content: Some("Nghiên cứu đưa trí tuệ nhân tạo vào xử lý, cung cấp dữ liệu cho Hệ thống theo cách có kiểm soát, an toàn; xây dựng chức năng tự động cảnh báo nhiệm vụ sắp đến hạn, đến hạn và quá hạn.".into()),
            deadline: Some(c.days_from_today(200)),
            period: Some(Period::Quarterly),
            priority: Some("key"),
            scope: Some("sector"),
            scope_detail: Some("Chuyển đổi số"),
            other: Some("emerging"),
            ..Default::default()
        },
    )
    .await?;
    receive(warnings, 35).await?;
    s.report_at_checkpoints(warnings, &OFFICE_TEAM, c.now, |index, _| {
        Some(ramp(10, 10, index))
    })
    .await?;
    Ok(())
}

/// Enters the Government Cipher Committee's task, whose deadline passed before the Central
/// Office granted the extension the committee had requested.
async fn cipher_task(s: &Seeder<'_>, document: DocumentId, group: GroupId) -> StoreResult<()> {
    let c = &s.clock;
    let task = s
        .enter(
            document,
            c.at(ENTERED, 8, 40),
            c.at(ENTERED, 14, 10),
            TaskSpec {
                lead: "BCYCP",
                content: Some("Nghiên cứu, triển khai các giải pháp mã hoá, xác thực, chữ ký số và bảo vệ thông tin bí mật nhà nước cho Hệ thống theo dõi, đánh giá; phối hợp với Văn phòng Trung ương Đảng trong suốt quá trình vận hành.".into()),
                expected_products: Some("Giải pháp xác thực, ký số và mã hoá được triển khai trên Hệ thống."),
                coordinating: vec!["VPTW"],
                deadline: Some(c.working_day_before(22)),
                period: Some(Period::Quarterly),
                priority: Some("key"),
                scope: Some("sector"),
                scope_detail: Some("Cơ yếu, bảo mật thông tin"),
                group: Some(group),
                ..Default::default()
            },
        )
        .await?;
    s.confirm(task, CIPHER.updater, c.at(ENTERED, 16, 0))
        .await?;

    s.report_at_checkpoints(
        task,
        &CIPHER,
        c.at(c.working_day_before(27), 8, 0),
        |index, _| Some(ramp(10, 10, index).min(50)),
    )
    .await?;

    // Before the deadline: the committee reports the difficulty, copied to the Central
    // Inspection Commission, and requests more time.
    let inspection = s.org("UBKTTW")?;
    s.act(
        task,
        CIPHER.approver,
        c.at(c.working_day_before(26), 9, 0),
        TaskCommand::ReportDifficulty {
            copied_to: Some(inspection),
        },
        Some("Giải pháp ký số trên thiết bị di động cần thêm thời gian thử nghiệm an toàn thông tin; Ban Cơ yếu Chính phủ đề nghị điều chỉnh lộ trình triển khai."),
    )
    .await?;
    s.act(
        task,
        CIPHER.approver,
        c.at(c.working_day_before(25), 10, 0),
        TaskCommand::RequestExtension {
            proposed: c.days_from_today(45),
        },
        Some("Cần thêm thời gian kiểm thử, đánh giá an toàn thông tin trước khi triển khai chữ ký số trên toàn Hệ thống."),
    )
    .await?;

    // After the deadline has passed, the Central Office grants a shorter extension.
    s.act(
        task,
        CENTRAL_OFFICE,
        c.at(c.working_day_before(15), 15, 0),
        TaskCommand::ExtendDeadline {
            to: c.days_from_today(30),
        },
        Some("Đồng ý gia hạn để hoàn thành kiểm thử an toàn thông tin; thời hạn mới ngắn hơn đề xuất để bảo đảm tiến độ chung."),
    )
    .await?;

    let update = s
        .report(
            task,
            &CIPHER,
            c.at(c.working_day_before(5), 9, 0),
            c.at(c.working_day_before(5), 10, 30),
            progress(60, "Đã hoàn thành thử nghiệm ký số trên máy tính; đang kiểm thử trên thiết bị di động."),
        )
        .await?;
    s.evaluate(
        task,
        MONITOR,
        c.at(c.working_day_before(4), 9, 30),
        update,
        Rating::Good,
    )
    .await?;
    Ok(())
}

fn committee_content(committee: &str, assigners: &str, fit: &str) -> String {
    format!(
        "Phối hợp với Văn phòng Trung ương Đảng xây dựng bộ chỉ số, tiêu chí theo nhiệm vụ được phân công; ban hành quy chế của {committee} về theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ do {assigners} giao trên Hệ thống, phù hợp với {fit} và liên thông dữ liệu với Hệ thống của Trung ương."
    )
}

/// Enters Thành uỷ Hà Nội's task, which it delegates in two parts: the draft rules to its
/// Office and the communication work to its Propaganda and Mass Mobilisation Commission. The
/// sub-tasks' progress rolls up to the task.
async fn hanoi_task(s: &Seeder<'_>, document: DocumentId, group: GroupId) -> StoreResult<()> {
    let c = &s.clock;
    let task = s
        .enter(
            document,
            c.at(ENTERED, 8, 45),
            c.at(ENTERED, 14, 15),
            TaskSpec {
                lead: "TU-HNI",
                content: Some(committee_content(
                    "Thành uỷ Hà Nội",
                    "Thành uỷ, Ban Thường vụ, Thường trực Thành uỷ",
                    "đặc thù của Thủ đô",
                )),
                expected_products: Some("Quy chế của Thành uỷ Hà Nội được ban hành."),
                deadline: Some(c.days_from_today(40)),
                period: Some(Period::Quarterly),
                priority: Some("key"),
                scope: Some("locality"),
                scope_detail: Some("Thành phố Hà Nội"),
                group: Some(group),
                ..Default::default()
            },
        )
        .await?;
    s.confirm(task, HANOI.updater, c.at(ENTERED, 15, 10))
        .await?;
    s.report_at_checkpoints(
        task,
        &HANOI,
        c.at(c.working_day_before(31), 8, 0),
        |index, _| Some(ramp(10, 10, index).min(30)),
    )
    .await?;

    let office = s.org("HNI-VPTU")?;
    let propaganda = s.org("HNI-BTGDV")?;
    let draft_rules = s
        .delegate(
            task,
            HANOI.updater,
            c.at(c.working_day_before(30), 9, 0),
            SubtaskInput {
                lead_body: Some(office),
                content: Some("Xây dựng dự thảo Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ của Thành uỷ; lấy ý kiến các ban đảng, đảng uỷ trực thuộc và hoàn thiện trình Ban Thường vụ.".into()),
                expected_products: Some("Dự thảo Quy chế và tờ trình Ban Thường vụ Thành uỷ.".into()),
                deadline: Some(c.days_from_today(-5).to_string()),
            },
        )
        .await?;
    let outreach = s
        .delegate(
            task,
            HANOI.updater,
            c.at(c.working_day_before(30), 9, 20),
            SubtaskInput {
                lead_body: Some(propaganda),
                content: Some("Tuyên truyền, phổ biến Quy chế 08-QC/TW và quy chế của Thành uỷ đến cán bộ, đảng viên; định hướng các cơ quan báo chí của Thành phố đưa tin.".into()),
                expected_products: None,
                deadline: Some(c.days_from_today(30).to_string()),
            },
        )
        .await?;

    let update = s
        .report(
            task,
            &HANOI,
            c.at(c.working_day_before(24), 9, 0),
            c.at(c.working_day_before(24), 10, 0),
            progress(40, "Đã giao Văn phòng Thành uỷ xây dựng dự thảo quy chế và Ban Tuyên giáo và Dân vận Thành uỷ tổ chức tuyên truyền."),
        )
        .await?;
    s.evaluate(
        task,
        MONITOR,
        c.at(c.working_day_before(23), 9, 30),
        update,
        Rating::Good,
    )
    .await?;

    // The Office finishes its draft on time.
    s.confirm(
        draft_rules,
        HANOI_OFFICE.updater,
        c.at(c.working_day_before(30), 10, 30),
    )
    .await?;
    s.report_at_checkpoints(
        draft_rules,
        &HANOI_OFFICE,
        c.at(c.working_day_before(9), 8, 0),
        |index, _| Some(ramp(50, 20, index).min(80)),
    )
    .await?;
    let update = s
        .report(
            draft_rules,
            &HANOI_OFFICE,
            c.at(c.working_day_before(7), 9, 0),
            c.at(c.working_day_before(7), 10, 0),
            completion(
                c.working_day_before(8),
                "Đã hoàn thiện dự thảo Quy chế sau khi lấy ý kiến và trình Ban Thường vụ Thành uỷ.",
                "Dự thảo Quy chế và tờ trình Ban Thường vụ Thành uỷ",
            ),
        )
        .await?;
    s.evaluate(
        draft_rules,
        HANOI_MONITOR,
        c.at(c.working_day_before(6), 9, 30),
        update,
        Rating::Good,
    )
    .await?;

    // The communication work is half done.
    s.confirm(
        outreach,
        HANOI_PROPAGANDA.updater,
        c.at(c.working_day_before(30), 11, 0),
    )
    .await?;
    let update = s
        .report(
            outreach,
            &HANOI_PROPAGANDA,
            c.at(c.working_day_before(15), 9, 0),
            c.at(c.working_day_before(15), 10, 0),
            progress(
                30,
                "Đã biên soạn tài liệu hỏi – đáp về Quy chế và gửi các chi bộ.",
            ),
        )
        .await?;
    s.evaluate(
        outreach,
        HANOI_MONITOR,
        c.at(c.working_day_before(14), 9, 30),
        update,
        Rating::Satisfactory,
    )
    .await?;
    let update = s
        .report(
            outreach,
            &HANOI_PROPAGANDA,
            c.at(c.working_day_before(4), 9, 0),
            c.at(c.working_day_before(4), 10, 0),
            progress(50, "Đã tổ chức hội nghị quán triệt trực tuyến đến các đảng bộ trực thuộc; báo chí Thủ đô mở chuyên mục về Quy chế."),
        )
        .await?;
    s.evaluate(
        outreach,
        HANOI_MONITOR,
        c.at(c.working_day_before(3), 9, 30),
        update,
        Rating::Good,
    )
    .await?;
    Ok(())
}

/// Enters the other committees' tasks. Ho Chi Minh City finished without achieving everything,
/// Thanh Hoá is on track, and the Government Party Committee received late and has not started.
async fn committee_tasks(s: &Seeder<'_>, document: DocumentId, group: GroupId) -> StoreResult<()> {
    let c = &s.clock;
    let inspection = s.org("UBKTTW")?;

    let hcm = s
        .enter(
            document,
            c.at(ENTERED, 8, 50),
            c.at(ENTERED, 14, 20),
            TaskSpec {
                lead: "TU-HCM",
                content: Some(committee_content(
                    "Thành uỷ Thành phố Hồ Chí Minh",
                    "Thành uỷ, Ban Thường vụ, Thường trực Thành uỷ",
                    "đặc thù của đô thị đặc biệt",
                )),
                expected_products: Some(
                    "Quy chế của Thành uỷ Thành phố Hồ Chí Minh được ban hành.",
                ),
                deadline: Some(c.working_day_before(8)),
                period: Some(Period::Quarterly),
                priority: Some("key"),
                scope: Some("locality"),
                scope_detail: Some("Thành phố Hồ Chí Minh"),
                group: Some(group),
                ..Default::default()
            },
        )
        .await?;
    s.confirm(hcm, HO_CHI_MINH.updater, c.at(ENTERED, 15, 20))
        .await?;
    s.report_at_checkpoints(
        hcm,
        &HO_CHI_MINH,
        c.at(c.working_day_before(12), 8, 0),
        |index, _| Some(ramp(20, 20, index).min(70)),
    )
    .await?;
    let update = s
        .report(
            hcm,
            &HO_CHI_MINH,
            c.at(c.working_day_before(8), 9, 0),
            c.at(c.working_day_before(7), 9, 30),
            UpdateInput {
                status: Some("done_not_completed".into()),
                percent: Some(80),
                completion_date: Some(c.working_day_before(9).to_string()),
                results: Some("Đã ban hành quy chế; bộ chỉ số đặc thù của Thành phố chưa được các cơ quan thống nhất nên chưa áp dụng.".into()),
                difficulties: Some("Một số sở, ngành chưa thống nhất cách đo chỉ số về hiệu quả thực hiện.".into()),
                proposals: Some("Đề nghị Văn phòng Trung ương Đảng hướng dẫn bổ sung chỉ số cho đô thị đặc biệt.".into()),
                ..Default::default()
            },
        )
        .await?;
    s.evaluate(
        hcm,
        MONITOR,
        c.at(c.working_day_before(6), 10, 0),
        update,
        Rating::Unsatisfactory,
    )
    .await?;
    s.act(
        hcm,
        HO_CHI_MINH.approver,
        c.at(c.working_day_before(6), 14, 0),
        TaskCommand::ReportDifficulty {
            copied_to: Some(inspection),
        },
        Some("Giải trình: bộ chỉ số đặc thù chưa được thống nhất; Thành uỷ đề xuất hoàn thiện trong quý tới."),
    )
    .await?;

    let thanh_hoa = s
        .enter(
            document,
            c.at(ENTERED, 8, 55),
            c.at(ENTERED, 14, 25),
            TaskSpec {
                lead: "TU-THA",
                content: Some(committee_content(
                    "Tỉnh uỷ Thanh Hoá",
                    "Tỉnh uỷ, Ban Thường vụ, Thường trực Tỉnh uỷ",
                    "đặc thù của địa phương",
                )),
                expected_products: Some("Quy chế của Tỉnh uỷ Thanh Hoá được ban hành."),
                deadline: Some(c.days_from_today(20)),
                period: Some(Period::Quarterly),
                scope: Some("locality"),
                scope_detail: Some("Tỉnh Thanh Hoá"),
                group: Some(group),
                ..Default::default()
            },
        )
        .await?;
    s.confirm(thanh_hoa, THANH_HOA.updater, c.at(ENTERED, 15, 45))
        .await?;
    s.report_at_checkpoints(thanh_hoa, &THANH_HOA, c.now, |index, _| {
        Some(ramp(15, 15, index).min(75))
    })
    .await?;

    let government = s
        .enter(
            document,
            c.at(ENTERED, 9, 0),
            c.at(ENTERED, 14, 30),
            TaskSpec {
                lead: "DUCP",
                content: Some(committee_content(
                    "Đảng uỷ Chính phủ",
                    "Đảng uỷ Chính phủ, Ban Thường vụ, Thường trực Đảng uỷ",
                    "đặc thù của các đảng bộ trực thuộc",
                )),
                expected_products: Some("Quy chế của Đảng uỷ Chính phủ được ban hành."),
                deadline: Some(c.working_day_before(18)),
                period: Some(Period::Quarterly),
                priority: Some("key"),
                scope: Some("sector"),
                scope_detail: Some("Khối các cơ quan Chính phủ"),
                group: Some(group),
                ..Default::default()
            },
        )
        .await?;
    // Receipt confirmed two working days late.
    s.confirm(
        government,
        GOVERNMENT.updater,
        c.at(date(2025, 11, 10), 9, 0),
    )
    .await?;
    s.act(
        government,
        GOVERNMENT.approver,
        c.at(c.working_day_before(20), 10, 0),
        TaskCommand::ReportDifficulty {
            copied_to: Some(inspection),
        },
        Some("Đảng uỷ Chính phủ đang chờ hướng dẫn bộ chỉ số đặc thù để xây dựng quy chế phù hợp với các đảng bộ trực thuộc."),
    )
    .await?;
    s.act(
        government,
        MONITOR,
        c.at(c.working_day_before(10), 14, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::Phone,
        },
        Some("Đã gọi điện đề nghị Văn phòng Đảng uỷ Chính phủ khẩn trương triển khai nhiệm vụ đã quá hạn."),
    )
    .await?;
    Ok(())
}
