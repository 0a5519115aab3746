//! Documents that assign tasks ("văn bản giao nhiệm vụ").

use crate::confidentiality::{Confidentiality, forbidden_field};
use crate::error::{Code, DomainError, DomainResult, Violations};
use crate::ids::{DocumentId, OrgId, UserId};
use crate::org::{OrgCategory, OrgDirectory};
use crate::symbol::DocumentSymbol;
use crate::text;
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

/// Kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Nghị quyết.
    Resolution,
    /// Chỉ thị.
    Directive,
    /// Kết luận.
    Conclusion,
    /// Thông báo.
    Notice,
    /// Thông báo kết luận cuộc họp.
    MeetingConclusionNotice,
    /// Chương trình.
    Programme,
    /// Kế hoạch.
    Plan,
    /// Đề án.
    Scheme,
    /// Quyết định.
    Decision,
    /// Quy định.
    Regulation,
    /// Quy chế.
    Rules,
    /// Hướng dẫn.
    Guidance,
    /// Công văn.
    OfficialLetter,
    /// Ý kiến chỉ đạo.
    Direction,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 14] = [
        DocumentKind::Resolution,
        DocumentKind::Directive,
        DocumentKind::Conclusion,
        DocumentKind::Notice,
        DocumentKind::MeetingConclusionNotice,
        DocumentKind::Programme,
        DocumentKind::Plan,
        DocumentKind::Scheme,
        DocumentKind::Decision,
        DocumentKind::Regulation,
        DocumentKind::Rules,
        DocumentKind::Guidance,
        DocumentKind::OfficialLetter,
        DocumentKind::Direction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Resolution => "resolution",
            DocumentKind::Directive => "directive",
            DocumentKind::Conclusion => "conclusion",
            DocumentKind::Notice => "notice",
            DocumentKind::MeetingConclusionNotice => "meeting_conclusion_notice",
            DocumentKind::Programme => "programme",
            DocumentKind::Plan => "plan",
            DocumentKind::Scheme => "scheme",
            DocumentKind::Decision => "decision",
            DocumentKind::Regulation => "regulation",
            DocumentKind::Rules => "rules",
            DocumentKind::Guidance => "guidance",
            DocumentKind::OfficialLetter => "official_letter",
            DocumentKind::Direction => "direction",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    /// Message id of the kind's name.
    pub fn message_id(self) -> String {
        format!("document-kind-{}", self.as_str().replace('_', "-"))
    }

    /// Symbol abbreviations this kind may carry. Quy định used `QĐi` before 2021 and `QĐ`
    /// since; directions are sent as official letters or notices.
    pub fn abbreviations(self) -> &'static [&'static str] {
        match self {
            DocumentKind::Resolution => &["NQ"],
            DocumentKind::Directive => &["CT"],
            DocumentKind::Conclusion => &["KL"],
            DocumentKind::Notice | DocumentKind::MeetingConclusionNotice => &["TB"],
            DocumentKind::Programme => &["CTr"],
            DocumentKind::Plan => &["KH"],
            DocumentKind::Scheme => &["ĐA"],
            DocumentKind::Decision => &["QĐ"],
            DocumentKind::Regulation => &["QĐ", "QĐi"],
            DocumentKind::Rules => &["QC"],
            DocumentKind::Guidance => &["HD"],
            DocumentKind::OfficialLetter => &["CV"],
            DocumentKind::Direction => &["CV", "TB"],
        }
    }
}

/// A document as typed by a user, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    pub kind: Option<String>,
    pub symbol: Option<String>,
    pub title: Option<String>,
    pub issue_date: Option<String>,
    pub signer: Option<String>,
    pub issuing_body: Option<OrgId>,
    pub assigning_authority: Option<OrgId>,
    pub monitoring_body: Option<OrgId>,
    pub confidentiality: Option<String>,
    pub summary: Option<String>,
}

/// The validated content of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentContent {
    pub kind: DocumentKind,
    pub symbol: DocumentSymbol,
    pub title: String,
    pub issue_date: Date,
    pub signer: String,
    /// Cơ quan tham mưu, ban hành.
    pub issuing_body: OrgId,
    /// Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư, Tổng Bí thư or Thường trực Ban Bí thư.
    pub assigning_authority: OrgId,
    /// Default monitoring body for the document's tasks.
    pub monitoring_body: OrgId,
    pub confidentiality: Confidentiality,
    /// Trích yếu; always `None` for classified documents.
    pub summary: Option<String>,
}

/// The earliest issue date accepted: the founding of the Party.
pub fn earliest_issue_date() -> Date {
    jiff::civil::date(1930, 2, 3)
}

/// Parses a `YYYY-MM-DD` date for `field`.
pub fn parse_date(field: &str, value: &str) -> DomainResult<Date> {
    value.trim().parse::<Date>().map_err(|_| {
        DomainError::field(
            field,
            Code::DateInvalid,
            vec![("value", value.trim().into())],
        )
    })
}

impl DocumentInput {
    /// Validates the input as of `today`.
    ///
    /// A Tuyệt mật document is rejected before anything else is looked at, and the error names
    /// no other field: nothing about such a document may be echoed back or logged.
    pub fn validate(&self, orgs: &dyn OrgDirectory, today: Date) -> DomainResult<DocumentContent> {
        let confidentiality = match self.confidentiality.as_deref() {
            None | Some("") => Confidentiality::Normal,
            Some(value) => Confidentiality::parse(value).ok_or_else(|| {
                crate::error::not_one_of(
                    "confidentiality",
                    Confidentiality::ALL
                        .into_iter()
                        .map(Confidentiality::as_str),
                )
            })?,
        };
        confidentiality.ensure_storable()?;

        let mut violations = Violations::new();
        let kind = match self.kind.as_deref() {
            None | Some("") => {
                violations.push("kind", Code::Required, vec![]);
                None
            }
            Some(value) => {
                let kind = DocumentKind::parse(value);
                if kind.is_none() {
                    violations.record(crate::error::not_one_of(
                        "kind",
                        DocumentKind::ALL.into_iter().map(DocumentKind::as_str),
                    ));
                }
                kind
            }
        };
        let symbol = match self.symbol.as_deref() {
            None => {
                violations.push("symbol", Code::Required, vec![]);
                None
            }
            Some(value) => violations.check(DocumentSymbol::parse("symbol", value)),
        };
        if let (Some(kind), Some(symbol)) = (kind, &symbol)
            && !kind.abbreviations().contains(&symbol.kind.as_str())
        {
            violations.push(
                "symbol",
                Code::SymbolKindMismatch,
                vec![
                    ("abbreviation", symbol.kind.clone().into()),
                    ("expected", kind.abbreviations().join(", ").into()),
                ],
            );
        }
        let title = violations.check(text::required_line(
            "title",
            self.title.as_deref().unwrap_or(""),
            text::MAX_LINE,
        ));
        let issue_date = match self.issue_date.as_deref() {
            None | Some("") => {
                violations.push("issue_date", Code::Required, vec![]);
                None
            }
            Some(value) => violations
                .check(parse_date("issue_date", value))
                .and_then(|date| {
                    if date < earliest_issue_date() || date > today {
                        violations.push(
                            "issue_date",
                            Code::DateOutOfRange,
                            vec![("min", earliest_issue_date().into()), ("max", today.into())],
                        );
                        None
                    } else {
                        Some(date)
                    }
                }),
        };
        let signer = violations.check(text::required_line(
            "signer",
            self.signer.as_deref().unwrap_or(""),
            200,
        ));
        let issuing_body = require_org(&mut violations, orgs, "issuing_body", self.issuing_body);
        let assigning_authority = require_org(
            &mut violations,
            orgs,
            "assigning_authority",
            self.assigning_authority,
        );
        if let Some(authority) = assigning_authority.and_then(|id| orgs.organisation(id))
            && authority.category != OrgCategory::AssigningAuthority
        {
            violations.push(
                "assigning_authority",
                Code::OrgWrongCategory,
                vec![(
                    "expected",
                    crate::error::Arg::Message("org-category-assigning-authority".into()),
                )],
            );
        }
        let monitoring_body = require_org(
            &mut violations,
            orgs,
            "monitoring_body",
            self.monitoring_body,
        );
        let summary = violations.check(text::optional_text(
            "summary",
            self.summary.as_deref(),
            text::MAX_TEXT,
        ));
        if confidentiality.is_classified() && summary.as_ref().is_some_and(Option::is_some) {
            violations.record(forbidden_field("summary", confidentiality));
        }
        violations.finish()?;

        Ok(DocumentContent {
            kind: kind.expect("checked above"),
            symbol: symbol.expect("checked above"),
            title: title.expect("checked above"),
            issue_date: issue_date.expect("checked above"),
            signer: signer.expect("checked above"),
            issuing_body: issuing_body.expect("checked above"),
            assigning_authority: assigning_authority.expect("checked above"),
            monitoring_body: monitoring_body.expect("checked above"),
            confidentiality,
            summary: summary.flatten(),
        })
    }
}

fn require_org(
    violations: &mut Violations,
    orgs: &dyn OrgDirectory,
    field: &str,
    id: Option<OrgId>,
) -> Option<OrgId> {
    match id {
        None => {
            violations.push(field, Code::Required, vec![]);
            None
        }
        Some(id) => violations.check(orgs.require(field, id)).map(|org| org.id),
    }
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    #[serde(flatten)]
    pub content: DocumentContent,
    /// When the tasks must have been entered and transferred: 3 working days after issue.
    pub entry_due: Timestamp,
    /// Calendar version that computed `entry_due`.
    pub calendar_version: String,
    pub registered_by: UserId,
    /// Body that registered the document; it answers for the entry obligation.
    pub registered_body: OrgId,
    pub registered_at: Timestamp,
    pub task_count: u32,
    pub version: i64,
}

/// Working days after the issue date within which the Central Office enters and transfers a
/// document's tasks.
pub const ENTRY_WORKING_DAYS: u32 = 3;

/// Computes the entry due time of a document issued on `issue_date`.
pub fn entry_due(calendar: &theodoi_calendar::WorkingCalendar, issue_date: Date) -> Timestamp {
    calendar.add_working_days(issue_date, ENTRY_WORKING_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{OrgTree, tests::org};

    fn tree() -> OrgTree {
        OrgTree::new([
            org(1, "TW", OrgCategory::AssigningAuthority, None),
            org(2, "BBT", OrgCategory::AssigningAuthority, Some(1)),
            org(3, "VPTW", OrgCategory::CentralPartyBody, Some(1)),
        ])
    }

    fn input() -> DocumentInput {
        DocumentInput {
            kind: Some("rules".into()),
            symbol: Some("08-QC/TW".into()),
            title: Some("Quy chế theo dõi, đôn đốc, kiểm tra".into()),
            issue_date: Some("2025-11-05".into()),
            signer: Some("Trần Cẩm Tú".into()),
            issuing_body: Some(OrgId(3)),
            assigning_authority: Some(OrgId(2)),
            monitoring_body: Some(OrgId(3)),
            confidentiality: None,
            summary: Some("Quy định việc theo dõi nhiệm vụ".into()),
        }
    }

    fn today() -> Date {
        jiff::civil::date(2026, 12, 4)
    }

    fn fields(error: &DomainError) -> Vec<&str> {
        error.violations.iter().map(|v| v.field.as_str()).collect()
    }

    #[test]
    fn valid_document_is_accepted() {
        let content = input().validate(&tree(), today()).unwrap();
        assert_eq!(content.symbol.to_string(), "08-QC/TW");
        assert_eq!(content.confidentiality, Confidentiality::Normal);
    }

    #[test]
    fn top_secret_is_rejected_alone() {
        let mut input = input();
        input.confidentiality = Some("top_secret".into());
        input.symbol = Some("not a symbol".into());
        let error = input.validate(&tree(), today()).unwrap_err();
        assert_eq!(error.violations.len(), 1);
        assert_eq!(error.violations[0].code, Code::TopSecretRefused);
    }

    #[test]
    fn classified_document_may_not_carry_a_summary() {
        let mut input = input();
        input.confidentiality = Some("confidential".into());
        let error = input.validate(&tree(), today()).unwrap_err();
        assert_eq!(fields(&error), ["summary"]);
        assert_eq!(error.violations[0].code, Code::FieldForbiddenForLevel);
        input.summary = None;
        assert!(input.validate(&tree(), today()).is_ok());
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let input = DocumentInput {
            kind: Some("resolution".into()),
            symbol: Some("08-QC/TW".into()),
            issue_date: Some("2030-01-01".into()),
            issuing_body: Some(OrgId(99)),
            assigning_authority: Some(OrgId(3)),
            ..Default::default()
        };
        let error = input.validate(&tree(), today()).unwrap_err();
        assert_eq!(
            fields(&error),
            [
                "symbol",
                "title",
                "issue_date",
                "signer",
                "issuing_body",
                "assigning_authority",
                "monitoring_body"
            ]
        );
        assert_eq!(error.violations[0].code, Code::SymbolKindMismatch);
        assert_eq!(error.violations[5].code, Code::OrgWrongCategory);
    }
}
