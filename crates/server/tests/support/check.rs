//! Assertions on error responses: status, stable code, the invalid fields, and messages that
//! were really localized rather than falling back to a message id.

use reqwest::StatusCode;
use serde_json::Value;

/// Asserts that `message` is a sentence from the catalogue: not empty, not a message id, and
/// with every placeholder filled in.
pub fn assert_localized(message: &Value, context: &str) {
    let text = message
        .as_str()
        .unwrap_or_else(|| panic!("{context}: message is not a string: {message}"));
    assert!(!text.trim().is_empty(), "{context}: empty message");
    let looks_like_id = text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    assert!(!looks_like_id, "{context}: message is a bare id: {text}");
    assert!(
        !text.contains("{$") && !text.contains("{ $"),
        "{context}: unfilled placeholder in {text}"
    );
}

/// Asserts an error response with `status` and `code` and a localized message; returns the body.
pub fn assert_error<'a>(
    response: &'a (StatusCode, Value),
    status: StatusCode,
    code: &str,
) -> &'a Value {
    let (actual, body) = response;
    assert_eq!(*actual, status, "status of {body}");
    assert_eq!(body["code"], code, "code of {body}");
    assert_localized(&body["message"], code);
    assert_ne!(body["message"], body["code"], "message equals the code");
    body
}

/// Asserts a 422 whose `details.fields` names `field` with `field_code` and a localized
/// message; returns that field entry.
pub fn assert_invalid<'a>(
    response: &'a (StatusCode, Value),
    field: &str,
    field_code: &str,
) -> &'a Value {
    let body = assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    );
    field_error(body, field, field_code)
}

/// The entry of `details.fields` for `field` with `field_code`, with its message checked.
pub fn field_error<'a>(body: &'a Value, field: &str, field_code: &str) -> &'a Value {
    let fields = body["details"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no details.fields in {body}"));
    let entry = fields
        .iter()
        .find(|entry| entry["field"] == field && entry["code"] == field_code)
        .unwrap_or_else(|| panic!("no {field}/{field_code} in {body}"));
    assert_localized(&entry["message"], field_code);
    // An unknown field has no name of ours, so its message shows it as sent.
    if field_code != "field-unknown" {
        assert_field_named(&entry["message"], field);
    }
    entry
}

/// Asserts that a Vietnamese field message names the field in words, not by its request name
/// such as `issued_from`. English messages may use the same word as the name, so they are not
/// checked here.
fn assert_field_named(message: &Value, field: &str) {
    let text = message.as_str().unwrap_or_default();
    if !is_vietnamese(text) {
        return;
    }
    let last = field.rsplit('.').next().unwrap_or(field);
    let name = last.split('[').next().unwrap_or(last);
    let is_word_char = |c: char| c.is_alphanumeric() || c == '_';
    let raw = text.match_indices(name).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + name.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    });
    assert!(
        !raw,
        "the message names field {field} by its request name: {text}"
    );
}

/// The names of the fields listed in `details.fields`, in order.
pub fn field_names(body: &Value) -> Vec<String> {
    body["details"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|entry| entry["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `text` reads as Vietnamese: more than one letter in twenty carries a diacritic or
/// is đ. English messages quote a few Vietnamese terms, such as “Mật” or “QĐ”, and stay below.
fn is_vietnamese(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let marked = text
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_ascii())
        .count();
    marked * 20 > letters
}

/// Asserts that `english` is the same error as `vietnamese` with the message in English.
pub fn assert_english(vietnamese: &Value, english: &Value) {
    assert_eq!(english["code"], vietnamese["code"], "{english}");
    assert_localized(&english["message"], "English message");
    let text = english["message"].as_str().unwrap_or_default();
    assert_ne!(
        english["message"], vietnamese["message"],
        "message not translated: {text}"
    );
    assert!(!is_vietnamese(text), "not English: {text}");
    assert_eq!(field_names(english), field_names(vietnamese));
    let pairs = english["details"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(
            vietnamese["details"]["fields"]
                .as_array()
                .into_iter()
                .flatten(),
        );
    for (en, vi) in pairs {
        assert_localized(&en["message"], "English field message");
        assert!(
            !is_vietnamese(en["message"].as_str().unwrap_or_default()),
            "not English: {en}"
        );
        assert_ne!(
            en["message"], vi["message"],
            "field message not translated: {en}"
        );
    }
}
