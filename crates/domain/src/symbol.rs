//! The number and symbol ("số, ký hiệu") of a Party document, such as `57-NQ/TW`: a number, the
//! abbreviation of the document kind, and the abbreviation of the issuing body.

use crate::error::{Code, DomainError, DomainResult};
use crate::text;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Kind abbreviations in their canonical spelling. Lower-case letters are part of the official
/// form (`CTr`, `QĐi`), so comparison goes through [`fold_abbreviation`].
pub const KIND_ABBREVIATIONS: [&str; 12] = [
    "NQ", "CT", "KL", "TB", "CTr", "KH", "ĐA", "QĐ", "QĐi", "QC", "HD", "CV",
];

/// A parsed and normalised document symbol.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentSymbol {
    pub number: u32,
    /// Canonical kind abbreviation, one of [`KIND_ABBREVIATIONS`].
    pub kind: String,
    /// Issuing body abbreviation in upper case, such as `TW` or `VPTW`.
    pub issuer: String,
}

impl fmt::Display for DocumentSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Party documents write numbers below ten with a leading zero (08-QC/TW).
        write!(f, "{:02}-{}/{}", self.number, self.kind, self.issuer)
    }
}

/// Upper-cases and maps Đ to D, so that `QD`, `Qđ` and `QĐ` all compare equal.
fn fold_abbreviation(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            'Đ' | 'đ' => 'D',
            other => other.to_ascii_uppercase(),
        })
        .collect()
}

/// Replaces look-alike characters that users paste from word processors: typographic dashes
/// and slashes, and the Icelandic eth (U+00D0) that often stands in for Đ (U+0110).
fn replace_lookalikes(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{2044}' | '\u{2215}' | '\u{FF0F}' => '/',
            'Ð' => 'Đ',
            'ð' => 'đ',
            other => other,
        })
        .collect()
}

/// Removes a leading "Số" ("number"), with or without a colon.
fn strip_number_word(value: &str) -> &str {
    let trimmed = value.trim_start();
    for prefix in ["Số", "số", "SỐ", "So", "so", "SO"] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            let rest = rest.trim_start_matches([':', '.', ' ']);
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest;
            }
        }
    }
    trimmed
}

impl DocumentSymbol {
    /// Parses a symbol as users type it: `57-NQ/TW`, `Số 204-QD/TW`, `8 – QC / TW` or text in
    /// NFD all give the same canonical value.
    pub fn parse(field: &str, value: &str) -> DomainResult<Self> {
        let invalid = || {
            DomainError::field(
                field,
                Code::SymbolInvalid,
                vec![("value", text::nfc(value.trim()).into())],
            )
        };
        let normalised = replace_lookalikes(&text::nfc(strip_number_word(value)));
        let (number, rest) = normalised.split_once('-').ok_or_else(invalid)?;
        let (kind, issuer) = rest.split_once('/').ok_or_else(invalid)?;

        let number_ok =
            !number.is_empty() && number.len() <= 6 && number.chars().all(|c| c.is_ascii_digit());
        let number: u32 = if number_ok {
            number.parse().map_err(|_| invalid())?
        } else {
            return Err(invalid());
        };
        if number == 0 {
            return Err(invalid());
        }

        let folded_kind = fold_abbreviation(kind);
        let kind = KIND_ABBREVIATIONS
            .iter()
            .find(|known| fold_abbreviation(known) == folded_kind)
            .ok_or_else(invalid)?;

        let issuer = issuer.to_uppercase();
        let issuer_ok = (1..=24).contains(&issuer.chars().count())
            && issuer.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !issuer.starts_with('-')
            && !issuer.ends_with('-');
        if !issuer_ok {
            return Err(invalid());
        }

        Ok(Self {
            number,
            kind: (*kind).to_owned(),
            issuer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn parse(value: &str) -> String {
        DocumentSymbol::parse("symbol", value).unwrap().to_string()
    }

    #[test]
    fn canonical_symbols_parse_unchanged() {
        for symbol in [
            "57-NQ/TW",
            "08-QC/TW",
            "204-QĐ/TW",
            "36-HD/VPTW",
            "05-QĐi/TW",
            "12-CTr/TW",
        ] {
            assert_eq!(parse(symbol), symbol);
        }
    }

    #[test]
    fn variants_normalise_to_one_form() {
        assert_eq!(parse("204-QD/TW"), "204-QĐ/TW");
        assert_eq!(parse("204-qđ/tw"), "204-QĐ/TW");
        assert_eq!(parse("Số 8 – QC / TW"), "08-QC/TW");
        assert_eq!(parse("số: 57-NQ/TW"), "57-NQ/TW");
        assert_eq!(parse("12-DA/TW"), "12-ĐA/TW");
        assert_eq!(parse("204-QÐ/TW"), "204-QĐ/TW");
        assert_eq!(parse("3-ctr/tw"), "03-CTr/TW");
        let decomposed: String = "204-QĐ/BCĐTW".nfd().collect();
        assert_eq!(parse(&decomposed), "204-QĐ/BCĐTW");
    }

    #[test]
    fn malformed_symbols_are_rejected() {
        for value in [
            "",
            "NQ/TW",
            "57NQ/TW",
            "57-NQ",
            "57-XX/TW",
            "0-NQ/TW",
            "abc-NQ/TW",
            "57-NQ/",
            "57-NQ/T W!",
            "1234567-NQ/TW",
            "57-NQ/-TW",
        ] {
            let error = DocumentSymbol::parse("symbol", value).unwrap_err();
            assert_eq!(error.violations[0].code, Code::SymbolInvalid, "{value}");
            assert_eq!(error.violations[0].field, "symbol");
        }
    }
}
