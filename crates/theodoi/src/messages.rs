//! Command-line messages in the operator's language, from the product's message catalogue.

use theodoi_i18n::{Lang, Value, catalogue};

/// Returns the language of command-line messages: `THEODOI_LANG`, else the POSIX locale (the first
/// set of `LC_ALL`, `LC_MESSAGES` and `LANG`). Vietnamese unless that names English.
pub fn lang() -> Lang {
    ["THEODOI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .and_then(|value| Lang::parse(&value))
        .unwrap_or(Lang::Vi)
}

/// Formats the message `id` with its arguments in [`lang`].
pub fn text(id: &str, args: &[(&str, Value)]) -> String {
    catalogue().format(lang(), id, args)
}

/// Wraps a value as a text argument of a message.
pub fn arg(value: impl std::fmt::Display) -> Value {
    Value::Text(value.to_string())
}
