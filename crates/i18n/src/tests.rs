use super::*;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::error::Code;
use theodoi_domain::obligation::ObligationKind;
use theodoi_domain::org::OrgCategory;
use theodoi_domain::result::ResultState;
use theodoi_domain::task::TaskStatus;
use theodoi_domain::user::Role;

fn dashed(value: &str) -> String {
    value.replace('_', "-")
}

#[test]
fn both_languages_have_the_same_ids() {
    let ids = |lang: &str| -> Vec<String> {
        sources(lang)
            .iter()
            .flat_map(|(_, text)| message_ids(text))
            .collect()
    };
    let vi = ids("vi");
    let en = ids("en");
    let missing_en: Vec<_> = vi.iter().filter(|id| !en.contains(id)).collect();
    let missing_vi: Vec<_> = en.iter().filter(|id| !vi.contains(id)).collect();
    assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
    assert!(missing_vi.is_empty(), "missing in vi.ftl: {missing_vi:?}");
}

#[test]
fn each_area_has_the_same_files_in_both_languages() {
    let names = |lang: &str| -> Vec<String> {
        sources(lang)
            .into_iter()
            .map(|(name, _)| name[lang.len() + 1..].to_owned())
            .collect()
    };
    assert_eq!(names("vi"), names("en"));
    assert!(names("vi").contains(&"core.ftl".to_owned()));
}

#[test]
fn every_error_code_has_a_message() {
    for lang in Lang::ALL {
        for code in Code::ALL {
            assert!(
                catalogue().has(lang, code.as_str()),
                "{lang:?} lacks {code}"
            );
        }
    }
}

#[test]
fn every_enum_value_has_a_name() {
    let mut ids: Vec<String> = Vec::new();
    ids.extend(ResultState::ALL.iter().map(|s| s.message_id()));
    ids.extend(
        TaskStatus::ALL
            .iter()
            .map(|s| format!("task-status-{}", dashed(s.as_str()))),
    );
    ids.extend(Role::ALL.iter().map(|r| r.message_id()));
    ids.extend(DocumentKind::ALL.iter().map(|k| k.message_id()));
    ids.extend(
        Confidentiality::ALL
            .iter()
            .map(|c| c.message_id().to_owned()),
    );
    ids.extend(
        OrgCategory::ALL
            .iter()
            .map(|c| format!("org-category-{}", dashed(c.as_str()))),
    );
    ids.extend(
        ObligationKind::NAMES
            .iter()
            .map(|n| format!("obligation-{}", dashed(n))),
    );
    for lang in Lang::ALL {
        for id in &ids {
            assert!(catalogue().has(lang, id), "{lang:?} lacks {id}");
        }
    }
}

#[test]
fn error_names_the_field_in_each_language() {
    let error = DomainError::field("tasks[2].deadline", Code::Required, vec![]);
    let vi = catalogue().error(Lang::Vi, &error);
    assert_eq!(vi.code, "validation-failed");
    assert_eq!(vi.fields[0].field, "tasks[2].deadline");
    assert_eq!(
        vi.message,
        "Chưa nhập “Thời hạn”. Vui lòng nhập “Thời hạn”."
    );
    let en = catalogue().error(Lang::En, &error);
    assert_eq!(
        en.message,
        "“Deadline” is missing. Please enter “Deadline”."
    );
}

#[test]
fn nested_message_and_date_arguments_are_formatted() {
    let error = DomainError::conflict(
        Code::TaskWrongState,
        vec![
            ("action", Arg::Message("action-transfer".into())),
            ("status", Arg::Message("task-status-completed".into())),
        ],
    );
    assert_eq!(
        catalogue().error(Lang::Vi, &error).message,
        "Không thể chuyển giao nhiệm vụ khi nhiệm vụ đang ở trạng thái “Đã hoàn thành”."
    );
    let error = DomainError::field(
        "deadline",
        Code::TaskExtensionNotLater,
        vec![("current", Arg::Date(jiff::civil::date(2026, 3, 5)))],
    );
    assert!(
        catalogue()
            .error(Lang::En, &error)
            .message
            .contains("05/03/2026")
    );
}

#[test]
fn accept_language_prefers_listed_quality() {
    assert_eq!(Lang::from_accept_language(None), Lang::Vi);
    assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
    assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
    assert_eq!(
        Lang::from_accept_language(Some("fr, en;q=0.5, vi;q=0.8")),
        Lang::Vi
    );
    assert_eq!(Lang::from_accept_language(Some("de")), Lang::Vi);
    assert_eq!(Lang::from_accept_language(Some("en;q=0")), Lang::Vi);
}

#[test]
fn dates_and_times_use_vietnamese_formats() {
    let at: jiff::Timestamp = "2026-02-25T10:05:00Z".parse().unwrap();
    assert_eq!(format_datetime(at), "25/02/2026 17:05");
    assert_eq!(format_date(jiff::civil::date(2026, 1, 9)), "09/01/2026");
}
