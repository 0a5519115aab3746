//! Reading the multipart body of the progress-update form. The CSRF token, the idempotency key
//! and the version arrive as ordinary fields, and each product row may carry a file. Files are
//! checked for size and type here. The caller stores them once it has checked that the task may
//! take them.

use crate::auth::CSRF_HEADER;
use crate::web::error::render;
use crate::web::form::{CSRF_FIELD, IDEMPOTENCY_FIELD, VERSION_FIELD};
use crate::web::page::{Page, PageUser};
use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// Largest file a product may carry.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Largest body of the update form: room for three files at the maximum size and the text.
pub const MAX_FORM_BYTES: usize = 3 * MAX_FILE_BYTES + 4 * 1024 * 1024;
/// Longest stored file name, in characters.
const MAX_FILE_NAME: usize = 200;

/// File extensions the form accepts, for the file input's `accept` attribute.
pub const ACCEPT: &str = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.zip";

/// The leading bytes that an accepted file must have.
#[derive(Debug, Clone, Copy)]
enum Signature {
    Pdf,
    /// Word, Excel and PowerPoint files before 2007: OLE compound documents.
    Ole,
    /// ZIP archives, which also hold OOXML and OpenDocument files.
    Zip,
    Png,
    Jpeg,
    Gif,
    Webp,
    Tiff,
}

impl Signature {
    fn matches(self, data: &[u8]) -> bool {
        match self {
            Signature::Pdf => data.starts_with(b"%PDF-"),
            Signature::Ole => data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            // An empty archive starts with its end-of-directory record.
            Signature::Zip => data.starts_with(b"PK\x03\x04") || data.starts_with(b"PK\x05\x06"),
            Signature::Png => data.starts_with(b"\x89PNG\r\n\x1a\n"),
            Signature::Jpeg => data.starts_with(&[0xFF, 0xD8, 0xFF]),
            Signature::Gif => data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a"),
            Signature::Webp => data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP",
            Signature::Tiff => data.starts_with(b"II*\0") || data.starts_with(b"MM\0*"),
        }
    }
}

/// Returns the media type and signature for a file name's extension, or `None` for types that
/// are not accepted.
fn file_type(file_name: &str) -> Option<(&'static str, Signature)> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    let found = match extension.as_str() {
        "pdf" => ("application/pdf", Signature::Pdf),
        "doc" => ("application/msword", Signature::Ole),
        "xls" => ("application/vnd.ms-excel", Signature::Ole),
        "ppt" => ("application/vnd.ms-powerpoint", Signature::Ole),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Signature::Zip,
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Signature::Zip,
        ),
        "pptx" => (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Signature::Zip,
        ),
        "odt" => ("application/vnd.oasis.opendocument.text", Signature::Zip),
        "ods" => (
            "application/vnd.oasis.opendocument.spreadsheet",
            Signature::Zip,
        ),
        "odp" => (
            "application/vnd.oasis.opendocument.presentation",
            Signature::Zip,
        ),
        "png" => ("image/png", Signature::Png),
        "jpg" | "jpeg" => ("image/jpeg", Signature::Jpeg),
        "gif" => ("image/gif", Signature::Gif),
        "webp" => ("image/webp", Signature::Webp),
        "tif" | "tiff" => ("image/tiff", Signature::Tiff),
        "zip" => ("application/zip", Signature::Zip),
        _ => return None,
    };
    Some(found)
}

/// Returns the name to store for an uploaded file: its last path segment (old browsers send the
/// whole path), in NFC, without control characters, at most [`MAX_FILE_NAME`] characters.
fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = theodoi_domain::text::nfc(base)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let cleaned = cleaned.trim();
    let count = cleaned.chars().count();
    if count <= MAX_FILE_NAME {
        return cleaned.to_owned();
    }
    // Keep the extension, which decides the type, and shorten the rest.
    match cleaned.rsplit_once('.') {
        Some((stem, extension)) if extension.chars().count() < 10 => {
            let keep = MAX_FILE_NAME - extension.chars().count() - 1;
            format!(
                "{}.{extension}",
                stem.chars().take(keep).collect::<String>()
            )
        }
        _ => cleaned.chars().take(MAX_FILE_NAME).collect(),
    }
}

/// A file that passed the checks, not stored yet.
#[derive(Debug)]
pub struct Upload {
    pub file_name: String,
    pub content_type: &'static str,
    pub data: Vec<u8>,
}

/// One file field of the form: the file, or why it was refused.
#[derive(Debug)]
pub struct FilePart {
    /// The field name, such as `products[2].upload`.
    pub field: String,
    pub result: Result<Upload, String>,
}

/// The form as read: text fields in order, file fields, and the hidden fields every form
/// carries.
#[derive(Debug, Default)]
pub struct Submission {
    pub fields: Vec<(String, String)>,
    pub files: Vec<FilePart>,
    pub key: Option<String>,
    pub version: Option<i64>,
    /// Set when the body passed [`MAX_FORM_BYTES`]: the fields after that point are missing.
    pub too_large: bool,
}

impl Submission {
    /// Returns the last value of text field `name`, or an empty string.
    pub fn field(&self, name: &str) -> String {
        self.fields
            .iter()
            .rev()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }
}

fn forbidden(page: &Page) -> Response {
    render(
        StatusCode::FORBIDDEN,
        page.lang,
        page.t("ui-updates-csrf-invalid"),
        None,
    )
}

fn unreadable(page: &Page) -> Response {
    render(
        StatusCode::BAD_REQUEST,
        page.lang,
        page.t("ui-updates-form-unreadable"),
        None,
    )
}

/// Reads the whole form. The CSRF token must arrive before the first file, in the
/// `X-CSRF-Token` header or the `_csrf` field, so that no file from a forged request is read.
pub async fn read(
    mut multipart: Multipart,
    headers: &HeaderMap,
    user: &PageUser,
    page: &Page,
) -> Result<Submission, Response> {
    let header_token = headers
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut field_token: Option<String> = None;
    let token_valid =
        |field: &Option<String>| field.as_ref().or(header_token.as_ref()) == Some(&user.csrf);
    let mut submission = Submission::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                submission.too_large = true;
                break;
            }
            Err(_) => return Err(unreadable(page)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            if !token_valid(&field_token) {
                return Err(forbidden(page));
            }
            match read_file(field, &file_name, page).await {
                Ok(Some(result)) => submission.files.push(FilePart {
                    field: name,
                    result,
                }),
                Ok(None) => {}
                Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    submission.too_large = true;
                    break;
                }
                Err(_) => return Err(unreadable(page)),
            }
            continue;
        }
        let value = match field.text().await {
            Ok(value) => value,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                submission.too_large = true;
                break;
            }
            Err(_) => return Err(unreadable(page)),
        };
        match name.as_str() {
            CSRF_FIELD => field_token = Some(value),
            IDEMPOTENCY_FIELD if !value.is_empty() => submission.key = Some(value),
            VERSION_FIELD => submission.version = value.trim().parse().ok(),
            _ => submission.fields.push((name, value)),
        }
    }
    if !token_valid(&field_token) {
        return Err(forbidden(page));
    }
    Ok(submission)
}

/// Reads one file field. Returns `None` for a file input left empty, which browsers send as a
/// part with an empty name and no bytes.
async fn read_file(
    mut field: Field<'_>,
    raw_name: &str,
    page: &Page,
) -> Result<Option<Result<Upload, String>>, MultipartError> {
    let mut data = Vec::new();
    let mut too_large = false;
    // The rest of a file over the limit is read and dropped, so the fields after it still come.
    while let Some(chunk) = field.chunk().await? {
        if too_large {
            continue;
        }
        if data.len() + chunk.len() > MAX_FILE_BYTES {
            too_large = true;
            data = Vec::new();
        } else {
            data.extend_from_slice(&chunk);
        }
    }
    if raw_name.is_empty() && data.is_empty() && !too_large {
        return Ok(None);
    }

    let file_name = match clean_file_name(raw_name) {
        name if name.is_empty() => page.t("ui-updates-file-unnamed"),
        name => name,
    };
    let max = format!("{} MB", MAX_FILE_BYTES / (1024 * 1024));
    if too_large {
        return Ok(Some(Err(page.t2(
            "ui-updates-file-too-large",
            ("name", &file_name),
            ("max", &max),
        ))));
    }
    let Some((content_type, signature)) = file_type(&file_name) else {
        return Ok(Some(Err(page.t1(
            "ui-updates-file-type",
            "name",
            &file_name,
        ))));
    };
    if data.is_empty() {
        return Ok(Some(Err(page.t1(
            "ui-updates-file-empty",
            "name",
            &file_name,
        ))));
    }
    if !signature.matches(&data) {
        return Ok(Some(Err(page.t1(
            "ui-updates-file-content",
            "name",
            &file_name,
        ))));
    }
    Ok(Some(Ok(Upload {
        file_name,
        content_type,
        data,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_types_need_matching_bytes() {
        let (pdf, signature) = file_type("Báo cáo.PDF").expect("PDF is accepted");
        assert_eq!(pdf, "application/pdf");
        assert!(signature.matches(b"%PDF-1.7\n"));
        assert!(!signature.matches(b"MZ\x90\0"));
        let (_, docx) = file_type("du-thao.docx").expect("Word is accepted");
        assert!(docx.matches(b"PK\x03\x04rest"));
        assert!(file_type("chay.exe").is_none());
        assert!(file_type("khong-duoi").is_none());
    }

    #[test]
    fn messages_with_two_values_exist() {
        for lang in theodoi_i18n::Lang::ALL {
            assert!(theodoi_i18n::catalogue().has(lang, "ui-updates-file-too-large"));
        }
    }

    #[test]
    fn file_names_lose_paths_and_controls() {
        assert_eq!(
            clean_file_name("C:\\Tai lieu\\Báo cáo quý I.pdf"),
            "Báo cáo quý I.pdf"
        );
        assert_eq!(clean_file_name("a\u{0}b.pdf"), "ab.pdf");
        let long = format!("{}.pdf", "x".repeat(300));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), MAX_FILE_NAME);
        assert!(cleaned.ends_with(".pdf"));
    }
}
