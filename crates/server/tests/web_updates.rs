//! The unified progress-update form, attached files, the approver's approval and return, and
//! delegation to a unit, used through the pages as a focal officer would, on both backends.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::fixture::{
    Cast, count_events, document, draft_task, fetch_task, hanoi_task, hanoi_task_in_progress,
    hanoi_unit, pdf, start,
};
use support::html::{field_error, form, hidden_fields, text};
use support::web::{Part, post_multipart};
use support::{TestServer, at};
use theodoi_store::{Backend, on_both_backends};

/// Returns the hidden fields of a form as multipart parts, followed by `extra`.
fn with_hidden<'a>(
    hidden: &'a std::collections::BTreeMap<String, String>,
    extra: Vec<Part<'a>>,
) -> Vec<Part<'a>> {
    let mut parts: Vec<Part<'a>> = ["_idem", "_version", "back"]
        .into_iter()
        .filter_map(|name| {
            hidden
                .get_key_value(name)
                .map(|(name, value)| Part::Text(name, value))
        })
        .collect();
    parts.extend(extra);
    parts
}

async fn update_form_shows_errors_next_to_fields(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "12-KL/TW",
        "Xây dựng đề án chuyển đổi số",
        "2026-06-30",
    )
    .await;
    server.set_time("2026-03-10 09:00");
    let updater = server.browser("hni.capnhat").await;
    let action = format!("/tasks/{id}/updates/new");

    let (status, page) = updater.get(&format!("{action}?back=/inbox")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("enctype=\"multipart/form-data\""));
    assert!(page.contains("Xây dựng đề án chuyển đổi số"), "the task");
    for status in [
        "not_started",
        "in_progress",
        "completed",
        "done_not_completed",
    ] {
        assert!(
            page.contains(&format!("name=\"status\" value=\"{status}\"")),
            "status {status} offered"
        );
    }
    let hidden = hidden_fields(&page, &action);
    assert_eq!(hidden["back"], "/inbox");
    assert!(!hidden["_idem"].is_empty(), "an idempotency key");

    // Every field wrong at once: each message is shown next to its field.
    let file = pdf(2_000);
    let parts = with_hidden(
        &hidden,
        vec![
            Part::Text("status", ""),
            Part::Text("percent", "150"),
            Part::Text("completion_date", "31/02/2026"),
            Part::Text("results", "Đã họp triển khai"),
            Part::Text("products[0].name", ""),
            Part::File {
                name: "products[0].upload",
                file_name: "Kế hoạch triển khai.pdf",
                content_type: "application/pdf",
                data: &file,
            },
        ],
    );
    let (status, _, page) = post_multipart(&updater, &action, &parts).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("Vui lòng sửa 4 trường được đánh dấu bên dưới."),
        "{}",
        text(&page)
    );
    assert_eq!(
        field_error(&page, "f-status").as_deref(),
        Some("Chưa nhập “Tình trạng”. Vui lòng nhập “Tình trạng”.")
    );
    assert_eq!(
        field_error(&page, "f-percent").as_deref(),
        Some("“Tỷ lệ hoàn thành” phải nằm trong khoảng 0 đến 100.")
    );
    let date_error = field_error(&page, "f-completion-date").expect("date message");
    assert!(
        date_error.contains("ngày/tháng/năm") && date_error.contains("Ngày kết thúc thực hiện"),
        "{date_error}"
    );
    assert!(
        field_error(&page, "f-products-0-name")
            .expect("product name message")
            .contains("Tên"),
        "{}",
        text(&page)
    );
    // What was typed is still there, and the file stays attached.
    assert!(page.contains("value=\"150\""));
    assert!(page.contains("value=\"31/02/2026\""));
    assert!(page.contains(">Đã họp triển khai</textarea>"));
    assert!(page.contains("Kế hoạch triển khai.pdf"), "the stored file");
    let kept = hidden_fields(&page, &action);
    let file_id = kept
        .get("products[0].file")
        .expect("the stored file travels with the form")
        .clone();
    assert_eq!(
        kept["_idem"], hidden["_idem"],
        "the same key after an error"
    );

    // A final status needs its date; a percentage must be a number.
    let parts = with_hidden(
        &kept,
        vec![
            Part::Text("status", "completed"),
            Part::Text("percent", "nhiều"),
        ],
    );
    let (status, _, page) = post_multipart(&updater, &action, &parts).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&page, "f-completion-date").as_deref(),
        Some("Vui lòng nhập ngày kết thúc thực hiện.")
    );
    assert_eq!(
        field_error(&page, "f-percent").as_deref(),
        Some("Tỷ lệ hoàn thành phải là một số nguyên từ 0 đến 100.")
    );
    let (status, _, page) = post_multipart(
        &updater,
        &action,
        &with_hidden(
            &kept,
            vec![
                Part::Text("status", "completed"),
                Part::Text("completion_date", "11/03/2026"),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&page, "f-completion-date").as_deref(),
        Some("Ngày kết thúc thực hiện không được sau ngày hôm nay (10/03/2026).")
    );

    // In English the same mistakes read in English.
    let (status, _, _) = updater.post("/language", &[("language", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = post_multipart(
        &updater,
        &action,
        &with_hidden(
            &kept,
            vec![Part::Text("status", ""), Part::Text("percent", "150")],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(
        page.contains("Please correct the 2 fields marked below."),
        "{}",
        text(&page)
    );
    let english = field_error(&page, "f-status").expect("status message");
    assert!(english.contains("Status"), "{english}");
    assert!(!english.contains("Tình trạng"), "{english}");
    updater.post("/language", &[("language", "vi")]).await;

    // Corrected, the update is drafted with the file as its product.
    let parts = with_hidden(
        &kept,
        vec![
            Part::Text("status", "in_progress"),
            Part::Text("percent", "30"),
            Part::Text("completion_date", ""),
            Part::Text("results", "Đã xây dựng dự thảo đề án"),
            Part::Text("products[0].name", "Kế hoạch triển khai"),
            Part::Text("products[0].file", &file_id),
            Part::Text("difficulties", ""),
            Part::Text("proposals", "Đề nghị hướng dẫn thêm"),
        ],
    );
    let (status, location, page) = post_multipart(&updater, &action, &parts).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", text(&page));
    assert_eq!(location.as_deref(), Some("/inbox?notice=update-drafted"));
    let view = fetch_task(&cast.hanoi_updater, id).await;
    let update = &view["updates"][0];
    assert_eq!(update["state"], "awaiting_approval");
    assert_eq!(update["percent"], 30);
    assert_eq!(update["results"], "Đã xây dựng dự thảo đề án");
    assert_eq!(update["proposals"], "Đề nghị hướng dẫn thêm");
    assert_eq!(update["products"][0]["name"], "Kế hoạch triển khai");
    assert_eq!(update["products"][0]["file"], file_id.as_str());

    // With a draft open, the form for a new update leads to that draft.
    let (status, location, _) = updater.get_redirect(&action).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("redirect");
    assert!(
        location.starts_with(&format!("/tasks/{id}/updates/1/edit")),
        "{location}"
    );
    let (status, page) = updater.get(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("mỗi lúc chỉ có một báo cáo chờ phê duyệt"));
    assert!(page.contains("value=\"30\""), "the draft's values");
    assert!(page.contains("Kế hoạch triển khai.pdf"));
}

async fn classified_task_offers_only_final_outcomes(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let document = document(&server, &cast.office, "13-KL/TW", "confidential").await;
    let id = draft_task(
        &cast.office,
        document,
        hanoi_task(&server, None, json!("2026-06-30")),
    )
    .await;
    start(&cast.office, &cast.hanoi_cleared, id).await;
    server.set_time("2026-03-05 09:00");
    let cleared = server.browser("hni.mat").await;
    let action = format!("/tasks/{id}/updates/new");

    let (status, page) = cleared.get(&action).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("name=\"status\" value=\"completed\""));
    assert!(page.contains("name=\"status\" value=\"done_not_completed\""));
    assert!(
        !page.contains("value=\"in_progress\""),
        "no progress detail"
    );
    assert!(!page.contains("value=\"not_started\""));
    assert!(!page.contains("name=\"percent\""));
    assert!(!page.contains("name=\"results\""));
    assert!(!page.contains("products["), "no products");
    assert!(page.contains("Nội dung không hiển thị (nhiệm vụ thuộc văn bản mật)"));

    // A user without clearance does not learn that the task exists.
    let normal = server.browser("hni.capnhat").await;
    let (status, _) = normal.get(&action).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let hidden = hidden_fields(&page, &action);
    let (status, _, page) = post_multipart(
        &cleared,
        &action,
        &with_hidden(
            &hidden,
            vec![
                Part::Text("status", "in_progress"),
                Part::Text("percent", "40"),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_error(&page, "f-status")
            .expect("status message")
            .contains("chỉ được báo cáo kết quả"),
        "{}",
        text(&page)
    );
    let (status, location, page) = post_multipart(
        &cleared,
        &action,
        &with_hidden(
            &hidden,
            vec![
                Part::Text("status", "completed"),
                Part::Text("completion_date", "04/03/2026"),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", text(&page));
    assert_eq!(
        location.as_deref(),
        Some(format!("/tasks/{id}?notice=update-drafted").as_str())
    );
    let view = fetch_task(&cast.hanoi_cleared, id).await;
    assert_eq!(view["updates"][0]["status"], "completed");
    assert_eq!(view["updates"][0]["percent"], serde_json::Value::Null);
}

async fn attachments_reach_only_those_who_see_the_task(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "14-KL/TW",
        "Số hoá hồ sơ lưu trữ",
        "2026-06-30",
    )
    .await;
    let updater = server.browser("hni.capnhat").await;
    let action = format!("/tasks/{id}/updates/new");
    let (_, page) = updater.get(&action).await;
    let hidden = hidden_fields(&page, &action);

    // Files too large, of a type not accepted, or with content that does not match the name are
    // rejected with a message, and the product name typed is kept.
    let too_large = pdf(20 * 1024 * 1024 + 1);
    let program = b"MZ\x90\x00\x03".to_vec();
    let parts = with_hidden(
        &hidden,
        vec![
            Part::Text("status", "in_progress"),
            Part::Text("percent", "20"),
            Part::Text("products[0].name", "Bản quét hồ sơ"),
            Part::File {
                name: "products[0].upload",
                file_name: "ban-quet.pdf",
                content_type: "application/pdf",
                data: &too_large,
            },
            Part::Text("products[1].name", "Phần mềm"),
            Part::File {
                name: "products[1].upload",
                file_name: "cai-dat.exe",
                content_type: "application/octet-stream",
                data: &program,
            },
            Part::Text("products[2].name", "Báo cáo"),
            Part::File {
                name: "products[2].upload",
                file_name: "bao-cao.pdf",
                content_type: "application/pdf",
                data: &program,
            },
        ],
    );
    let (status, _, page) = post_multipart(&updater, &action, &parts).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text(&page));
    assert_eq!(
        field_error(&page, "f-products-0-file").as_deref(),
        Some("Tệp “ban-quet.pdf” lớn hơn 20 MB. Vui lòng nén hoặc chia nhỏ tệp rồi gửi lại.")
    );
    assert!(
        field_error(&page, "f-products-1-file")
            .expect("type message")
            .starts_with("Tệp “cai-dat.exe” không thuộc loại được nhận."),
    );
    assert!(
        field_error(&page, "f-products-2-file")
            .expect("content message")
            .starts_with("Nội dung tệp “bao-cao.pdf” không khớp"),
    );
    assert!(page.contains("value=\"Bản quét hồ sơ\""));
    assert_eq!(
        count_events(&cast.hanoi_updater, id, "update_drafted").await,
        0
    );

    // A file with a Vietnamese name is stored with the update and downloads under that name.
    let report = pdf(5_000);
    let parts = with_hidden(
        &hidden,
        vec![
            Part::Text("status", "in_progress"),
            Part::Text("percent", "20"),
            Part::Text("products[0].name", "Báo cáo sơ kết"),
            Part::File {
                name: "products[0].upload",
                file_name: "Báo cáo sơ kết đợt 1.pdf",
                content_type: "application/pdf",
                data: &report,
            },
            // An empty file input, as browsers send it.
            Part::File {
                name: "products[1].upload",
                file_name: "",
                content_type: "application/octet-stream",
                data: b"",
            },
        ],
    );
    let (status, _, page) = post_multipart(&updater, &action, &parts).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", text(&page));
    let view = fetch_task(&cast.hanoi_updater, id).await;
    let products = view["updates"][0]["products"].as_array().expect("products");
    assert_eq!(products.len(), 1, "the empty row is dropped");
    let file = products[0]["file"].as_str().expect("a file reference");
    let download = format!("/attachments/{file}");

    for username in [
        "hni.capnhat",
        "hni.pheduyet",
        "vptw",
        "btc.dau.moi",
        "lanhdao",
    ] {
        let reader = server.browser(username).await;
        let response = reader
            .http
            .get(format!("{}{download}", server.base))
            .send()
            .await
            .expect("download");
        assert_eq!(response.status(), StatusCode::OK, "{username}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"]
            .to_str()
            .expect("ASCII header");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition
                .contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20s%C6%A1%20k%E1%BA%BFt%20%C4%91%E1%BB%A3t%201.pdf"),
            "{disposition}"
        );
        assert_eq!(response.bytes().await.expect("bytes").to_vec(), report);
    }
    let haiphong = server.browser("hpg.dau.moi").await;
    let (status, page) = haiphong.get(&download).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another province: {page}");
    let (status, _) = updater.get("/attachments/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = updater.get("/attachments/khong-phai-so").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn double_submission_drafts_once(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "15-KL/TW",
        "Tập huấn cán bộ",
        "2026-06-30",
    )
    .await;
    let updater = server.browser("hni.capnhat").await;
    let action = format!("/tasks/{id}/updates/new");
    let (_, page) = updater.get(&action).await;
    let hidden = hidden_fields(&page, &action);
    let file = pdf(3_000);
    let parts = || {
        with_hidden(
            &hidden,
            vec![
                Part::Text("status", "in_progress"),
                Part::Text("percent", "10"),
                Part::Text("products[0].name", "Tài liệu tập huấn"),
                Part::File {
                    name: "products[0].upload",
                    file_name: "tai-lieu.pdf",
                    content_type: "application/pdf",
                    data: &file,
                },
            ],
        )
    };

    let first = post_multipart(&updater, &action, &parts()).await;
    let second = post_multipart(&updater, &action, &parts()).await;
    assert_eq!(first.0, StatusCode::SEE_OTHER, "{}", text(&first.2));
    assert_eq!(second.0, StatusCode::SEE_OTHER, "{}", text(&second.2));
    assert_eq!(first.1, second.1, "both go where the first went");
    assert_eq!(
        count_events(&cast.hanoi_updater, id, "update_drafted").await,
        1
    );
    let view = fetch_task(&cast.hanoi_updater, id).await;
    assert_eq!(view["updates"].as_array().map(Vec::len), Some(1));
}

async fn stale_form_gets_a_conflict(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "16-KL/TW",
        "Rà soát dữ liệu",
        "2026-06-30",
    )
    .await;
    let updater = server.browser("hni.capnhat").await;
    let action = format!("/tasks/{id}/updates/new");
    let (_, page) = updater.get(&action).await;
    let stale = hidden_fields(&page, &action);

    // Someone else changes the task while the form is open.
    cast.monitor
        .ok(
            &format!("/api/v1/tasks/{id}/urgings"),
            json!({"channel": "phone", "reason": "Nhắc cập nhật"}),
        )
        .await;
    let typed = vec![
        Part::Text("status", "in_progress"),
        Part::Text("percent", "15"),
        Part::Text("results", "Đã rà soát 40% hồ sơ"),
    ];
    let (status, _, page) = post_multipart(&updater, &action, &with_hidden(&stale, typed)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{}", text(&page));
    assert!(
        page.contains("Dữ liệu đã được người khác thay đổi"),
        "{}",
        text(&page)
    );
    assert!(
        page.contains(">Đã rà soát 40% hồ sơ</textarea>"),
        "input kept"
    );
    assert_eq!(
        count_events(&cast.hanoi_updater, id, "update_drafted").await,
        0
    );
    let fresh = hidden_fields(&page, &action);
    assert_ne!(
        fresh["_version"], stale["_version"],
        "the form now has the new version"
    );

    let typed = vec![
        Part::Text("status", "in_progress"),
        Part::Text("percent", "15"),
        Part::Text("results", "Đã rà soát 40% hồ sơ"),
    ];
    let (status, _, page) = post_multipart(&updater, &action, &with_hidden(&fresh, typed)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", text(&page));
    assert_eq!(
        count_events(&cast.hanoi_updater, id, "update_drafted").await,
        1
    );
}

async fn approver_approves_and_returns(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "17-KL/TW",
        "Tổ chức hội nghị sơ kết",
        "2026-06-30",
    )
    .await;
    let updater = server.browser("hni.capnhat").await;
    let approver = server.browser("hni.pheduyet").await;
    cast.hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{id}/updates"),
            json!({"status": "in_progress", "percent": 25}),
        )
        .await;

    // Returning needs a reason, shown next to its field.
    let return_path = format!("/tasks/{id}/updates/1/return");
    let (status, page) = approver.get(&format!("{return_path}?back=/inbox")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("25%"), "the update's content");
    let hidden = hidden_fields(&page, &return_path);
    let mut fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    fields.push(("reason", ""));
    let (status, _, page) = approver.post(&return_path, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text(&page));
    assert_eq!(
        field_error(&page, "f-reason").as_deref(),
        Some("Thao tác này cần nêu lý do. Vui lòng nhập lý do.")
    );
    fields.pop();
    fields.push(("reason", "Bổ sung số liệu của các quận, huyện"));
    let (status, location, _) = approver.post(&return_path, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/inbox?notice=update-returned"));
    let (status, location, _) = approver.post(&return_path, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the double click");
    assert_eq!(location.as_deref(), Some("/inbox?notice=update-returned"));
    assert_eq!(
        count_events(&cast.hanoi_updater, id, "update_returned").await,
        1,
        "returned once"
    );
    let (_, inbox) = approver.get("/inbox?notice=update-returned").await;
    assert!(inbox.contains("Đã trả lại báo cáo tiến độ cho đầu mối cập nhật."));

    // The updater fixes the returned update from the inbox.
    let (_, inbox) = updater.get("/inbox").await;
    assert!(
        inbox.contains("Bổ sung số liệu của các quận, huyện"),
        "the reason"
    );
    let edit = format!("/tasks/{id}/updates/1/edit");
    assert!(inbox.contains(&format!("href=\"{edit}?back=/inbox\"")));
    let (status, page) = updater.get(&format!("{edit}?back=/inbox")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Bổ sung số liệu của các quận, huyện"));
    let hidden = hidden_fields(&page, &edit);
    let (status, location, page) = post_multipart(
        &updater,
        &edit,
        &with_hidden(
            &hidden,
            vec![
                Part::Text("status", "in_progress"),
                Part::Text("percent", "35"),
                Part::Text("results", "Đã tổng hợp số liệu 30 quận, huyện"),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", text(&page));
    assert_eq!(location.as_deref(), Some("/inbox?notice=update-saved"));

    // Approved from the inbox; a second click changes nothing more.
    let (_, inbox) = approver.get("/inbox").await;
    let approve = format!("/tasks/{id}/updates/1/approve");
    let hidden = hidden_fields(&inbox, &approve);
    assert_eq!(hidden["back"], "/inbox");
    let fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let (status, location, _) = approver.post(&approve, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/inbox?notice=update-approved"));
    let (status, location, _) = approver.post(&approve, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the double click");
    assert_eq!(location.as_deref(), Some("/inbox?notice=update-approved"));
    assert_eq!(
        count_events(&cast.hanoi_approver, id, "update_approved").await,
        1
    );
    let (_, inbox) = approver.get("/inbox?notice=update-approved").await;
    assert!(inbox.contains("Đã phê duyệt báo cáo tiến độ."));

    // Approving it again from the task page is refused with the reason.
    let (status, _, page) = approver
        .post(&approve, &[("back", format!("/tasks/{id}").as_str())])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Báo cáo tiến độ số 1 không ở trạng thái chờ phê duyệt."),
        "{}",
        text(&page)
    );
    assert!(page.contains(&format!("href=\"/tasks/{id}\"")));

    // Editing the approved update voids the approval and needs a reason.
    let (_, page) = updater.get(&edit).await;
    assert!(page.contains("phê duyệt sẽ bị huỷ"), "{}", text(&page));
    let hidden = hidden_fields(&page, &edit);
    let edited = |reason: &'static str| {
        vec![
            Part::Text("status", "in_progress"),
            Part::Text("percent", "40"),
            Part::Text("reason", reason),
        ]
    };
    let (status, _, page) =
        post_multipart(&updater, &edit, &with_hidden(&hidden, edited(""))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&page, "f-reason").is_some(), "{}", text(&page));
    let (status, _, page) = post_multipart(
        &updater,
        &edit,
        &with_hidden(&hidden, edited("Số liệu quận Hoàn Kiếm bị nhập sai")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", text(&page));
    let view = fetch_task(&cast.hanoi_updater, id).await;
    assert_eq!(view["updates"][0]["state"], "awaiting_approval");
    assert_eq!(view["updates"][0]["voided_approvals"], 1);

    // An approver who wrote the update may not approve it, and the inbox shows why.
    let other = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_cleared,
        "18-KL/TW",
        "Kiện toàn bộ phận đầu mối",
        "2026-06-30",
    )
    .await;
    cast.hanoi_cleared
        .ok(
            &format!("/api/v1/tasks/{other}/updates"),
            json!({"status": "in_progress", "percent": 5}),
        )
        .await;
    let both = server.browser("hni.mat").await;
    let (_, inbox) = both.get("/inbox").await;
    let own = format!("/tasks/{other}/updates/1/approve");
    assert!(
        form(&inbox, &own).is_none(),
        "no approve button for one's own draft"
    );
    assert!(
        inbox.contains("Người phê duyệt không được phê duyệt báo cáo do chính mình soạn hoặc sửa.")
    );
    let (status, _, page) = both.post(&own, &[("back", "/inbox")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Việc cần làm"), "shown in the inbox");
    assert!(page.contains("id=\"problems\""));
    assert_eq!(
        count_events(&cast.hanoi_cleared, other, "update_approved").await,
        0
    );
}

async fn delegation_to_a_unit(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "19-KL/TW",
        "Triển khai phần mềm quản lý văn bản",
        "2026-06-30",
    )
    .await;
    let unit = hanoi_unit(&cast.office, &server, "HNI-VP", "Văn phòng Thành uỷ Hà Nội").await;
    let approver = server.browser("hni.pheduyet").await;
    let action = format!("/tasks/{id}/delegate");

    let (status, page) = approver.get(&action).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains(&format!("<option value=\"{unit}\"")),
        "the unit"
    );
    assert!(
        !page.contains(&format!("<option value=\"{}\"", server.org_id("TU-HNI"))),
        "not the body itself"
    );
    assert!(
        !page.contains(&format!("<option value=\"{}\"", server.org_id("TU-HPG"))),
        "no other body"
    );
    assert!(page.contains("không sau 30/06/2026"), "the latest deadline");
    let hidden = hidden_fields(&page, &action);
    let post = |fields: Vec<(&'static str, String)>| {
        let mut all: Vec<(String, String)> = hidden
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        all.extend(
            fields
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        all
    };
    let send = |fields: Vec<(String, String)>| {
        let approver = &approver;
        let action = action.clone();
        async move {
            let borrowed: Vec<(&str, &str)> = fields
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            approver.post(&action, &borrowed).await
        }
    };

    let (status, _, page) = send(post(vec![
        ("lead_body", String::new()),
        ("content", String::new()),
        ("deadline", "31/12/2026".into()),
    ]))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text(&page));
    assert_eq!(
        field_error(&page, "f-lead-body").as_deref(),
        Some("Vui lòng chọn đơn vị trực thuộc được giao.")
    );
    assert!(field_error(&page, "f-content").is_some(), "{}", text(&page));
    assert!(
        field_error(&page, "f-deadline")
            .expect("deadline message")
            .contains("30/06/2026"),
    );
    assert!(page.contains("value=\"31/12/2026\""), "input kept");

    let valid = post(vec![
        ("lead_body", unit.to_string()),
        ("content", "Cài đặt phần mềm tại Văn phòng Thành uỷ".into()),
        ("expected_products", "Biên bản nghiệm thu".into()),
        ("deadline", "15/05/2026".into()),
    ]);
    let (status, location, page) = send(valid.clone()).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", text(&page));
    assert_eq!(
        location.as_deref(),
        Some(format!("/tasks/{id}?notice=delegated").as_str())
    );
    let (status, _, _) = send(valid).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the double click");
    let parent = fetch_task(&cast.hanoi_approver, id).await;
    let subtasks = parent["subtasks"].as_array().expect("subtasks");
    assert_eq!(subtasks.len(), 1, "delegated once");
    let sub = fetch_task(&cast.hanoi_approver, subtasks[0].as_i64().expect("id")).await;
    assert_eq!(sub["lead_body"]["id"], unit);
    assert_eq!(sub["deadline"], "2026-05-15");
    assert_eq!(sub["status"]["code"], "awaiting_receipt");

    // A coordinating body may not delegate; another province does not see the task.
    let coordinator = server.browser("btc.dau.moi").await;
    let (status, page) = coordinator.get(&action).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(page.contains("Chỉ cơ quan chủ trì nhiệm vụ mới thực hiện được thao tác này."));
    let haiphong = server.browser("hpg.dau.moi").await;
    let (status, _) = haiphong.get(&action).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

on_both_backends!(
    update_form_shows_errors_next_to_fields,
    classified_task_offers_only_final_outcomes,
    attachments_reach_only_those_who_see_the_task,
    double_submission_drafts_once,
    stale_form_gets_a_conflict,
    approver_approves_and_returns,
    delegation_to_a_unit,
);
