//! The document pages over HTTP, on both backends. Covered: the list with its search, filters
//! and scope; entry of a new document with its tasks, with errors next to their fields in
//! Vietnamese and English, the preview, double submission, Tuyệt mật rejected and classified
//! documents; a document's page with transfer of all drafts and one more task; and the
//! Central Office's screens refused to other roles.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::fixture::{Cast, document, draft_task, hanoi_task, transfer};
use support::html::{error_next_to, pairs, text_of};
use support::web::{WebClient, hidden_field};
use support::{Client, TestServer, at};
use theodoi_store::{Backend, on_both_backends};

/// Returns the document fields of a valid resolution issued on 27/02/2026, with `symbol`.
fn document_fields(server: &TestServer, symbol: &str) -> Vec<(String, String)> {
    pairs(&[
        ("kind", "resolution"),
        ("symbol", symbol),
        (
            "title",
            "Nghị quyết về chuyển đổi số trong các cơ quan đảng",
        ),
        ("issue_date", "27/02/2026"),
        ("signer", "Thường trực Ban Bí thư"),
        ("issuing_body", &server.org_id("VPTW").to_string()),
        ("assigning_authority", &server.org_id("BBT").to_string()),
        ("monitoring_body", &server.org_id("VPTW").to_string()),
        ("confidentiality", "normal"),
        ("summary", "Giao các cơ quan triển khai chuyển đổi số"),
    ])
}

/// Two valid task rows: one for Hà Nội due 30/06/2026, one without deadline for Hải Phòng
/// with the Central Organisation Commission coordinating.
fn task_rows(server: &TestServer) -> Vec<(String, String)> {
    pairs(&[
        (
            "tasks[0].content",
            "Xây dựng kế hoạch chuyển đổi số của Thành uỷ",
        ),
        ("tasks[0].lead_body", &server.org_id("TU-HNI").to_string()),
        ("tasks[0].deadline", "30/06/2026"),
        ("tasks[0].report_period", "monthly"),
        ("tasks[1].content", "Số hoá hồ sơ lưu trữ"),
        ("tasks[1].lead_body", &server.org_id("TU-HPG").to_string()),
        (
            "tasks[1].coordinating_bodies",
            &server.org_id("BTCTW").to_string(),
        ),
        ("tasks[1].no_deadline", "1"),
        ("tasks[1].report_period", "quarterly"),
        ("tasks[1].classification.priority", "key"),
    ])
}

/// Builds a new-document form as the page renders it, with its idempotency key, filled with
/// `fields` and sent with the button `action`.
async fn entry_form(
    browser: &WebClient,
    fields: Vec<(String, String)>,
    action: &str,
) -> Vec<(String, String)> {
    let (status, page) = browser.get("/documents/new").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let key = hidden_field(&page, "_idem").expect("the form carries an idempotency key");
    let mut form = pairs(&[("_idem", &key), ("action", action)]);
    form.extend(fields);
    form
}

async fn document_ids(client: &Client) -> Vec<i64> {
    client
        .fetch("/api/v1/documents")
        .await
        .get("items")
        .and_then(Value::as_array)
        .expect("items")
        .iter()
        .map(|item| item["id"].as_i64().expect("id"))
        .collect()
}

async fn tasks_of(client: &Client, document: i64) -> Vec<Value> {
    client
        .fetch(&format!("/api/v1/tasks?document={document}&sort=newest"))
        .await["items"]
        .as_array()
        .expect("items")
        .clone()
}

/// Reads the document id from a redirect to its page.
fn document_of(location: &Option<String>) -> i64 {
    let location = location.as_deref().expect("a redirect");
    let rest = location
        .strip_prefix("/documents/")
        .unwrap_or_else(|| panic!("a document page, not {location}"));
    rest.split(['?', '#'])
        .next()
        .and_then(|id| id.parse().ok())
        .expect("document id")
}

async fn documents_entry_saves(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let browser = server.browser("vptw").await;

    let (status, page) = browser.get("/documents/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"tasks[0].content\""), "one task row");
    assert!(
        !page.contains("value=\"top_secret\""),
        "Tuyệt mật is not offered"
    );
    assert!(
        page.contains("value=\"secret\""),
        "Tối mật is offered to a cleared user"
    );
    assert!(page.contains("<optgroup label=\"Tỉnh uỷ, thành uỷ\">"));

    let mut fields = document_fields(&server, "12-NQ/TW");
    fields.extend(task_rows(&server));
    let form = entry_form(&browser, fields, "save").await;
    let (status, location, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let id = document_of(&location);
    assert!(
        location.as_deref().unwrap().contains("saved=2"),
        "{location:?}"
    );

    let tasks = tasks_of(&cast.office, id).await;
    assert_eq!(tasks.len(), 2);
    assert!(tasks.iter().all(|task| task["status"]["code"] == "draft"));
    let open_ended = tasks
        .iter()
        .find(|task| task["lead_body"]["code"] == "TU-HPG")
        .expect("Hải Phòng's task");
    assert!(open_ended["deadline"].is_null());
    assert_eq!(open_ended["priority"], "key");
    let view = cast
        .office
        .fetch(&format!("/api/v1/tasks/{}", open_ended["id"]))
        .await;
    assert_eq!(view["report_period"], "quarterly");
    assert_eq!(view["coordinating_bodies"][0]["code"], "BTCTW");

    let (status, page) = browser.get(location.as_deref().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã lưu văn bản và 2 nhiệm vụ."), "{page}");
    assert!(page.contains("Nghị quyết 12-NQ/TW"));
    assert!(page.contains("Xây dựng kế hoạch chuyển đổi số của Thành uỷ"));
    assert!(page.contains("30/06/2026"));
    assert!(page.contains("Chuyển giao tất cả (2 nhiệm vụ chưa chuyển giao)"));
    assert!(page.contains("Đã chuyển giao 0 trên 2 nhiệm vụ"));
    assert!(
        page.contains("04/03/2026 17:00"),
        "entry due at the end of the third working day after Friday 27/02/2026"
    );

    let transfer = pairs(&[]);
    let (status, location, _) = browser
        .post_pairs(&format!("/documents/{id}/transfer"), &transfer)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = browser.get(location.as_deref().unwrap()).await;
    assert!(page.contains("Đã chuyển giao 2 nhiệm vụ cho cơ quan chủ trì."));
    assert!(page.contains("class=\"badge met\""), "entry met: {page}");
    assert!(!page.contains("Chuyển giao tất cả"));
    assert!(
        tasks_of(&cast.office, id)
            .await
            .iter()
            .all(|task| task["status"]["code"] == "awaiting_receipt")
    );

    // A second press finds nothing left to transfer.
    let (status, location, _) = browser
        .post_pairs(&format!("/documents/{id}/transfer"), &transfer)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = browser.get(location.as_deref().unwrap()).await;
    assert!(page.contains("Không còn nhiệm vụ nào chưa chuyển giao."));
}

async fn documents_entry_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let browser = server.browser("vptw").await;

    let mut fields = document_fields(&server, "12-QC/TW");
    fields.retain(|(name, _)| name != "title" && name != "issue_date");
    fields.push(("title".into(), "  ".into()));
    fields.push(("issue_date".into(), "31/02/2026".into()));
    fields.extend(pairs(&[
        ("tasks[0].content", ""),
        ("tasks[0].lead_body", &server.org_id("TU-HNI").to_string()),
        ("tasks[0].deadline", "30/06/2026"),
        ("tasks[1].content", "Nhiệm vụ giao nhầm cấp giao nhiệm vụ"),
        ("tasks[1].lead_body", &server.org_id("BBT").to_string()),
        ("tasks[1].deadline", ""),
    ]));
    let form = entry_form(&browser, fields.clone(), "save").await;
    let (status, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Dữ liệu chưa hợp lệ ở 6 trường"), "{page}");
    assert_eq!(
        error_next_to(&page, "symbol"),
        "Ký hiệu “QC” không khớp với loại văn bản đã chọn; loại này dùng ký hiệu NQ."
    );
    assert_eq!(
        error_next_to(&page, "title"),
        "Chưa nhập “Tên văn bản”. Vui lòng nhập “Tên văn bản”."
    );
    assert_eq!(
        error_next_to(&page, "issue_date"),
        "“31/02/2026” không phải ngày hợp lệ cho “Ngày ban hành”. Vui lòng nhập theo dạng ngày/tháng/năm, ví dụ 31/03/2026."
    );
    assert_eq!(
        error_next_to(&page, "tasks-0-content"),
        "Chưa nhập “Nội dung nhiệm vụ”. Vui lòng nhập “Nội dung nhiệm vụ”."
    );
    assert!(
        error_next_to(&page, "tasks-1-lead_body")
            .starts_with("Cơ quan được chọn ở “Cơ quan chủ trì” không thuộc nhóm"),
        "{page}"
    );
    assert_eq!(
        error_next_to(&page, "tasks-1-deadline"),
        "Chưa nhập “Thời hạn”. Vui lòng nhập thời hạn hoặc đánh dấu “Không có thời hạn”."
    );
    assert!(
        text_of(&page, "tasks-1-content-error").is_none(),
        "a valid field has no error"
    );
    assert!(
        page.contains("value=\"12-QC/TW\""),
        "the typed symbol is shown again"
    );
    assert!(page.contains("Nhiệm vụ giao nhầm cấp giao nhiệm vụ"));
    assert!(
        page.contains("href=\"#tasks-1-deadline\""),
        "the summary links to the field"
    );
    assert_eq!(
        hidden_field(&page, "_idem").as_deref(),
        form.iter()
            .find(|(name, _)| name == "_idem")
            .map(|(_, value)| value.as_str()),
        "the form keeps its key"
    );
    assert!(
        document_ids(&cast.office).await.is_empty(),
        "nothing is stored while any row is invalid"
    );

    // The same mistakes in English.
    let (status, _, _) = browser.post("/language", &[("language", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let form = entry_form(&browser, fields, "save").await;
    let (status, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("<html lang=\"en\">"));
    assert_eq!(
        error_next_to(&page, "title"),
        "“Title” is missing. Please enter “Title”."
    );
    assert_eq!(
        error_next_to(&page, "issue_date"),
        "“31/02/2026” is not a valid date for “Issue date”. Enter it as day/month/year, for example 31/03/2026."
    );
    assert_eq!(
        error_next_to(&page, "tasks-0-content"),
        "“Task content” is missing. Please enter “Task content”."
    );
    assert_eq!(
        error_next_to(&page, "tasks-1-deadline"),
        "“Deadline” is missing. Enter a deadline or tick “No deadline”."
    );
    assert!(error_next_to(&page, "symbol").starts_with("The abbreviation “QC” does not match"));
}

async fn documents_entry_once(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let browser = server.browser("vptw").await;

    let mut fields = document_fields(&server, "14-NQ/TW");
    fields.extend(task_rows(&server));
    let form = entry_form(&browser, fields, "save_transfer").await;
    let (status, first, _) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, second, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        document_of(&first),
        document_of(&second),
        "the repeat shows the same document"
    );
    assert_eq!(document_ids(&cast.office).await.len(), 1);
    let tasks = tasks_of(&cast.office, document_of(&first)).await;
    assert_eq!(tasks.len(), 2, "each task is created once");
    for task in &tasks {
        assert_eq!(task["status"]["code"], "awaiting_receipt");
        let events = support::event_types(&cast.office, task["id"].as_i64().unwrap()).await;
        assert_eq!(events, ["created", "transferred"], "transferred once");
    }
}

async fn documents_top_secret_refused(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let browser = server.browser("vptw").await;

    let mut fields = document_fields(&server, "15-NQ/TW");
    fields.retain(|(name, _)| name != "confidentiality" && name != "title");
    fields.push(("confidentiality".into(), "top_secret".into()));
    fields.push((
        "title".into(),
        "Tên văn bản tuyệt mật không được lưu".into(),
    ));
    fields.extend(task_rows(&server));
    let form = entry_form(&browser, fields, "save").await;
    let (status, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Hệ thống không tiếp nhận văn bản Tuyệt mật."),
        "{page}"
    );
    assert!(error_next_to(&page, "confidentiality").contains("không có thông tin nào"));
    assert!(
        !page.contains("Tên văn bản tuyệt mật không được lưu"),
        "nothing typed is echoed back"
    );
    assert!(!page.contains("15-NQ/TW"));
    assert!(!page.contains("Xây dựng kế hoạch chuyển đổi số"));
    assert!(
        document_ids(&cast.office).await.is_empty(),
        "nothing stored"
    );

    // The htmx preview refuses it the same way.
    let form = entry_form(&browser, form[2..].to_vec(), "preview").await;
    let (status, _, fragment) = browser.post_pairs("/documents/preview", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(fragment.contains("Hệ thống không tiếp nhận văn bản Tuyệt mật."));
    assert!(!fragment.contains("Tên văn bản tuyệt mật không được lưu"));
    assert!(document_ids(&cast.office).await.is_empty());
}

async fn documents_classified_entry(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let browser = server.browser("vptw").await;

    // Without the page script nothing disables the fields, so the server reports them.
    let mut fields = document_fields(&server, "16-NQ/TW");
    fields.retain(|(name, _)| name != "confidentiality");
    fields.push(("confidentiality".into(), "confidential".into()));
    fields.extend(pairs(&[
        ("tasks[0].content", "Nội dung không được lưu"),
        ("tasks[0].lead_body", &server.org_id("TU-HNI").to_string()),
        ("tasks[0].deadline", "30/06/2026"),
    ]));
    let form = entry_form(&browser, fields.clone(), "save").await;
    let (status, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_next_to(&page, "summary"),
        "Văn bản có độ mật “Mật” không được lưu “Trích yếu”. Vui lòng để trống trường này."
    );
    assert_eq!(
        error_next_to(&page, "tasks-0-content"),
        "Văn bản có độ mật “Mật” không được lưu “Nội dung nhiệm vụ”. Vui lòng để trống trường này."
    );
    assert!(
        page.contains("name=\"summary\" rows=\"3\" data-open-only"),
        "{page}"
    );
    assert!(
        page.contains(" disabled>Giao các cơ quan"),
        "the summary is disabled"
    );

    fields.retain(|(name, _)| name != "summary" && name != "tasks[0].content");
    let form = entry_form(&browser, fields, "save_transfer").await;
    let (status, location, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (_, page) = browser.get(location.as_deref().unwrap()).await;
    assert!(page.contains("Văn bản mật không lưu trích yếu."));
    assert!(page.contains("Nội dung không lưu (nhiệm vụ mật)"));
    assert!(page.contains("class=\"badge level-confidential\""));
    let tasks = tasks_of(&cast.office, document_of(&location)).await;
    assert_eq!(tasks.len(), 1);
    assert!(tasks[0]["content"].is_null());
    assert_eq!(tasks[0]["status"]["code"], "awaiting_receipt");
}

async fn documents_entry_preview(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let browser = server.browser("vptw").await;

    let mut fields = document_fields(&server, "17-NQ/TW");
    fields.extend(task_rows(&server));
    let form = entry_form(&browser, fields.clone(), "preview").await;
    let (status, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html"), "a whole page without the script");
    assert!(page.contains("Xem trước nghĩa vụ và lịch cập nhật"));
    assert!(page.contains("02/03/2026 09:00"), "computed as of now");
    // Receipt is due 4 working hours after a transfer at 09:00 on Monday 2 March.
    assert!(page.contains("Xác nhận tiếp nhận (4 giờ làm việc sau khi chuyển giao)"));
    assert!(page.contains("02/03/2026 14:00"), "{page}");
    assert!(page.contains("Từ 3 đến dưới 6 tháng"));
    assert!(page.contains("Sau ½ thời gian thực hiện"));
    // Less than half of the first quarter is left on 2 March, so it joins the second.
    assert!(page.contains("Kỳ từ 02/03/2026 đến 30/06/2026"), "{page}");
    assert!(page.contains("Kỳ từ 01/07/2026 đến 30/09/2026"));
    assert!(
        page.contains("value=\"Số hoá hồ sơ lưu trữ\"") || page.contains(">Số hoá hồ sơ lưu trữ<"),
        "the rows are kept"
    );
    assert!(
        document_ids(&cast.office).await.is_empty(),
        "a preview stores nothing"
    );

    let (status, _, fragment) = browser.post_pairs("/documents/preview", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!fragment.contains("<html"), "a fragment for htmx");
    assert!(fragment.contains("Nhiệm vụ 2"));
    assert!(fragment.contains("Báo cáo kết quả sau khi kết thúc thực hiện"));

    // A row with a mistake is listed instead of previewed.
    let mut broken = fields.clone();
    broken.retain(|(name, _)| name != "tasks[0].deadline");
    broken.push(("tasks[0].deadline".into(), "01/01/2020".into()));
    let form = entry_form(&browser, broken, "preview").await;
    let (_, _, fragment) = browser.post_pairs("/documents/preview", &form).await;
    assert!(
        fragment.contains("href=\"#tasks-0-deadline\""),
        "{fragment}"
    );
    assert!(fragment.contains("Thời hạn không được trước ngày ban hành văn bản"));
    assert!(
        fragment.contains("Nhiệm vụ 2"),
        "valid rows are still previewed"
    );
}

async fn documents_entry_rows(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let _cast = Cast::new(&server).await;
    let browser = server.browser("vptw").await;

    let mut fields = document_fields(&server, "18-NQ/TW");
    fields.extend(task_rows(&server));
    let form = entry_form(&browser, fields.clone(), "add_row").await;
    let (status, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"tasks[2].content\""), "a third row");
    assert!(
        !page.contains("class=\"error\""),
        "adding a row checks nothing yet"
    );

    let form = entry_form(&browser, fields, "remove_row:0").await;
    let (_, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert!(!page.contains("name=\"tasks[1].content\""), "one row left");
    assert!(
        page.contains(">Số hoá hồ sơ lưu trữ</textarea>"),
        "the second row moved up"
    );
    assert!(page.contains("name=\"tasks[0].no_deadline\" value=\"1\" data-no-deadline checked"));
}

async fn documents_list_and_scope(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;

    let hanoi_doc = document(&server, &cast.office, "20-KL/TW", "normal").await;
    let task = draft_task(
        &cast.office,
        hanoi_doc,
        hanoi_task(&server, Some("Nhiệm vụ của Hà Nội"), json!("2026-06-30")),
    )
    .await;
    transfer(&cast.office, task).await;
    let other = cast
        .office
        .ok(
            "/api/v1/documents",
            json!({
                "kind": "directive",
                "symbol": "21-CT/TW",
                "title": "Chỉ thị về công tác đối ngoại",
                "issue_date": "2026-01-15",
                "signer": "Tổng Bí thư",
                "issuing_body": server.org_id("VPTW"),
                "assigning_authority": server.org_id("BCT"),
                "monitoring_body": server.org_id("VPTW")
            }),
        )
        .await["id"]
        .as_i64()
        .unwrap();

    let office = server.browser("vptw").await;
    let (status, page) = office.get("/documents").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("href=\"/documents/{hanoi_doc}\"")));
    assert!(page.contains(&format!("href=\"/documents/{other}\"")));
    assert!(page.contains("Nhập văn bản mới"));

    let (_, page) = office.get("/documents?q=ket+luan").await;
    assert!(page.contains("20-KL/TW"), "found without diacritics");
    assert!(!page.contains("21-CT/TW"));
    let (_, page) = office.get("/documents?kind=directive").await;
    assert!(page.contains("21-CT/TW"));
    assert!(!page.contains("20-KL/TW"));
    let (_, page) = office
        .get("/documents?issued_from=01%2F02%2F2026&issued_to=28%2F02%2F2026")
        .await;
    assert!(page.contains("20-KL/TW"));
    assert!(!page.contains("21-CT/TW"));
    let (_, page) = office.get("/documents?awaiting_entry=1").await;
    assert!(
        page.contains("21-CT/TW"),
        "a document without tasks awaits entry"
    );
    assert!(!page.contains("20-KL/TW"), "all its tasks are transferred");
    let (_, page) = office.get("/documents?issued_from=30%2F02%2F2026").await;
    assert_eq!(
        error_next_to(&page, "issued_from"),
        "“Ngày ban hành từ” không phải ngày hợp lệ. Vui lòng nhập theo dạng ngày/tháng/năm, ví dụ 31/03/2026."
    );
    let (_, page) = office.get("/documents?q=khong+co+van+ban+nay").await;
    assert!(page.contains("Không có văn bản nào phù hợp với bộ lọc."));

    let hanoi = server.browser("hni.capnhat").await;
    let (status, page) = hanoi.get("/documents").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("20-KL/TW"),
        "Hà Nội sees the document of its task"
    );
    assert!(!page.contains("21-CT/TW"), "but not another one");
    assert!(!page.contains("Nhập văn bản mới"));
    let (status, page) = hanoi.get(&format!("/documents/{hanoi_doc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Nhiệm vụ của Hà Nội"));
    assert!(!page.contains("Chuyển giao tất cả"));
    assert!(!page.contains("Thêm nhiệm vụ"));
    assert!(
        !page.contains("trên 1 nhiệm vụ"),
        "entry counts are for the Central Office"
    );

    let haiphong = server.browser("hpg.dau.moi").await;
    let (_, page) = haiphong.get("/documents").await;
    assert!(!page.contains("20-KL/TW"), "another province sees nothing");
    assert!(page.contains("Chưa có văn bản nào."));
    let (status, _) = haiphong.get(&format!("/documents/{hanoi_doc}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = office.get("/documents/khong-phai-so").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = office
        .get(&format!("/documents/{hanoi_doc}?saved=nhieu"))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an edited address still shows the page"
    );
    assert!(!page.contains("Đã lưu văn bản"));
}

async fn documents_office_only(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = document(&server, &cast.office, "22-KL/TW", "normal").await;
    draft_task(
        &cast.office,
        id,
        hanoi_task(
            &server,
            Some("Nhiệm vụ chưa chuyển giao"),
            json!("2026-06-30"),
        ),
    )
    .await;

    for username in ["hni.capnhat", "lanhdao", "vptw.theodoi"] {
        let browser = server.browser(username).await;
        for path in ["/documents/new", "/queues/entry", "/queues/feedback"] {
            let (status, page) = browser.get(path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username} GET {path}");
            assert!(page.contains("Không có quyền truy cập"), "{page}");
        }
        let form = pairs(&[("action", "save")]);
        for path in [
            "/documents/new".to_owned(),
            "/documents/preview".to_owned(),
            format!("/documents/{id}/transfer"),
            format!("/documents/{id}/tasks"),
            "/queues/feedback/1".to_owned(),
        ] {
            let (status, _, _) = browser.post_pairs(&path, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username} POST {path}");
        }
    }
    let tasks = tasks_of(&cast.office, id).await;
    assert_eq!(
        tasks[0]["status"]["code"], "draft",
        "nothing was transferred"
    );
}

async fn documents_add_task(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = document(&server, &cast.office, "23-KL/TW", "normal").await;
    let browser = server.browser("vptw").await;

    let (status, page) = browser.get(&format!("/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Thêm nhiệm vụ"));
    assert!(page.contains("Văn bản chưa có nhiệm vụ nào."));
    assert!(
        page.contains("class=\"badge pending\""),
        "entry still pending"
    );
    let key = hidden_field(&page, "_idem").expect("key");

    let path = format!("/documents/{id}/tasks");
    let invalid = pairs(&[
        ("_idem", &key),
        ("action", "save"),
        ("tasks[0].content", "Nhiệm vụ bổ sung"),
        ("tasks[0].deadline", "30/06/2026"),
    ]);
    let (status, _, page) = browser.post_pairs(&path, &invalid).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_next_to(&page, "tasks-0-lead_body"),
        "Chưa nhập “Cơ quan chủ trì”. Vui lòng nhập “Cơ quan chủ trì”."
    );
    assert!(page.contains(">Nhiệm vụ bổ sung</textarea>"), "input kept");

    let mut valid = invalid.clone();
    valid.push((
        "tasks[0].lead_body".into(),
        server.org_id("TU-HNI").to_string(),
    ));
    let (status, first, _) = browser.post_pairs(&path, &valid).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, second, _) = browser.post_pairs(&path, &valid).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(first, second, "the repeat points at the same task");
    assert_eq!(tasks_of(&cast.office, id).await.len(), 1, "added once");
    let (_, page) = browser.get(first.as_deref().unwrap()).await;
    assert!(page.contains("Đã thêm nhiệm vụ."));
    assert!(page.contains("Nhiệm vụ bổ sung"));

    let mut preview = valid.clone();
    preview.retain(|(name, _)| name != "action" && name != "_idem");
    preview.push(("action".into(), "preview".into()));
    preview.push(("document_id".into(), id.to_string()));
    let (status, _, fragment) = browser.post_pairs("/documents/preview", &preview).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        fragment.contains("Nhiệm vụ 2"),
        "numbered after the existing task"
    );
}

async fn documents_clearance_levels(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    server
        .user(
            "vptw.thuong",
            "VPTW",
            &[theodoi_domain::user::Role::CentralOffice],
            theodoi_domain::user::Clearance::Normal,
        )
        .await;
    let browser = server.browser("vptw.thuong").await;
    let (_, page) = browser.get("/documents/new").await;
    assert!(page.contains("value=\"normal\""));
    assert!(
        !page.contains("value=\"confidential\""),
        "levels beyond the user's clearance are not offered"
    );

    let mut fields = document_fields(&server, "24-NQ/TW");
    fields.retain(|(name, _)| name != "confidentiality" && name != "summary");
    fields.push(("confidentiality".into(), "confidential".into()));
    fields.extend(pairs(&[
        ("tasks[0].lead_body", &server.org_id("TU-HNI").to_string()),
        ("tasks[0].deadline", "30/06/2026"),
        ("tasks[1].lead_body", &server.org_id("TU-HPG").to_string()),
        ("tasks[1].no_deadline", "1"),
    ]));
    let form = entry_form(&browser, fields, "save").await;
    let (status, _, page) = browser.post_pairs("/documents/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = "Bạn không có quyền truy cập thông tin ở độ mật này.";
    assert_eq!(page.matches(refusal).count(), 1, "said once: {page}");
    assert!(document_ids(&cast.office).await.is_empty());
}

on_both_backends!(
    documents_entry_saves,
    documents_entry_errors,
    documents_entry_once,
    documents_top_secret_refused,
    documents_classified_entry,
    documents_entry_preview,
    documents_entry_rows,
    documents_list_and_scope,
    documents_office_only,
    documents_add_task,
    documents_clearance_levels,
);
