//! Text normalisation shared by every input: Unicode NFC on the way in, and a folded form for
//! searching without diacritics.

use crate::error::{Code, DomainError, DomainResult};
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Longest one-line text (titles, names), in characters.
pub const MAX_LINE: usize = 500;
/// Longest multi-line text (contents, results), in characters.
pub const MAX_TEXT: usize = 20_000;

/// Returns `value` in Unicode NFC, so that text typed with combining marks and text typed with
/// precomposed letters compare and index the same.
pub fn nfc(value: &str) -> String {
    value.nfc().collect()
}

/// Folds text for search: no diacritics, `đ` as `d`, lower case, runs of white space as one
/// space. `đ` needs its own mapping because it has no Unicode decomposition.
pub fn fold(value: &str) -> String {
    let mut folded = String::with_capacity(value.len());
    let mut last_was_space = true;
    for c in value.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            other => other,
        };
        if c.is_whitespace() {
            if !last_was_space {
                folded.push(' ');
            }
            last_was_space = true;
            continue;
        }
        folded.extend(c.to_lowercase());
        last_was_space = false;
    }
    if folded.ends_with(' ') {
        folded.pop();
    }
    folded
}

/// Folds text into search words: [`fold`], with every character that is not a letter or digit
/// turned into a space, and a leading space so that `LIKE '% word%'` matches word beginnings.
pub fn search_words(value: &str) -> String {
    let folded: String = fold(value)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words = String::with_capacity(folded.len() + 1);
    for word in folded.split_whitespace() {
        words.push(' ');
        words.push_str(word);
    }
    words
}

/// The words of a search query, folded like [`search_words`].
pub fn query_words(value: &str) -> Vec<String> {
    search_words(value)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn has_forbidden_control(value: &str, multiline: bool) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
}

fn clean(field: &str, value: &str, max: usize, multiline: bool) -> DomainResult<Option<String>> {
    let value = nfc(value.trim());
    if value.is_empty() {
        return Ok(None);
    }
    if has_forbidden_control(&value, multiline) {
        return Err(DomainError::field(field, Code::InvalidValue, vec![]));
    }
    let length = value.chars().count();
    if length > max {
        return Err(DomainError::field(
            field,
            Code::TooLong,
            vec![("max", max.into()), ("length", length.into())],
        ));
    }
    Ok(Some(value))
}

/// A required one-line text: trimmed, NFC, at most `max` characters, no control characters.
pub fn required_line(field: &str, value: &str, max: usize) -> DomainResult<String> {
    clean(field, value, max, false)?
        .ok_or_else(|| DomainError::field(field, Code::Required, vec![]))
}

/// An optional one-line text; blank becomes `None`.
pub fn optional_line(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    match value {
        Some(value) => clean(field, value, max, false),
        None => Ok(None),
    }
}

/// A required multi-line text.
pub fn required_text(field: &str, value: &str, max: usize) -> DomainResult<String> {
    clean(field, value, max, true)?.ok_or_else(|| DomainError::field(field, Code::Required, vec![]))
}

/// An optional multi-line text; blank becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    match value {
        Some(value) => clean(field, value, max, true),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_matches_vietnamese_without_diacritics() {
        assert_eq!(fold("Hà Nội"), "ha noi");
        assert_eq!(fold("Đảng"), "dang");
        assert_eq!(fold("ĐỨC  Thắng\n"), "duc thang");
    }

    #[test]
    fn fold_treats_nfc_and_nfd_alike() {
        let composed = "Nghị quyết";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(fold(composed), fold(&decomposed));
        assert_eq!(nfc(&decomposed), composed);
    }

    #[test]
    fn search_words_split_on_punctuation() {
        assert_eq!(
            search_words("Hà Nội, (Đảng) 57-NQ/TW"),
            " ha noi dang 57 nq tw"
        );
        assert_eq!(query_words("  HÀ   nội "), ["ha", "noi"]);
    }

    #[test]
    fn required_line_rejects_blank_and_long() {
        assert_eq!(
            required_line("title", "   ", 10).unwrap_err().violations[0].code,
            Code::Required
        );
        assert_eq!(
            required_line("title", "abcdefghijk", 10)
                .unwrap_err()
                .violations[0]
                .code,
            Code::TooLong
        );
        assert_eq!(
            required_line("title", "a\u{7}b", 10)
                .unwrap_err()
                .violations[0]
                .code,
            Code::InvalidValue
        );
        assert_eq!(required_line("title", "  Quy chế ", 10).unwrap(), "Quy chế");
    }

    #[test]
    fn text_keeps_line_breaks() {
        assert_eq!(
            required_text("content", "a\nb", 10).unwrap(),
            "a\nb".to_owned()
        );
        assert!(required_line("title", "a\nb", 10).is_err());
    }
}
