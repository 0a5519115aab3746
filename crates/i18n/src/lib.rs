//! The one message catalogue of theodoi. Every text a user sees comes from `locales/vi.ftl`
//! (the default) or `locales/en.ftl`, in Fluent syntax, looked up by a stable id.
//!
//! Dates are shown as `dd/mm/yyyy` and times as `HH:MM` in Asia/Ho_Chi_Minh in both languages.

mod format;

pub use format::{format_date, format_datetime, format_time};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;
use std::borrow::Cow;
use std::sync::LazyLock;
use theodoi_domain::error::{Arg, DomainError};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses a language code such as `vi`, `en` or `en-GB`.
    pub fn parse(value: &str) -> Option<Lang> {
        let primary = value.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the language of an `Accept-Language` header: the first listed language we have,
    /// by quality. Vietnamese when nothing matches.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::Vi;
        };
        let mut choices: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|piece| piece.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (quality > 0.0).then_some((quality, position, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        choices
            .first()
            .map(|(_, _, lang)| *lang)
            .unwrap_or(Lang::Vi)
    }
}

/// The message files: `locales/vi/*.ftl` and `locales/en/*.ftl`, one file per area of the
/// product, compiled into the binary. Both languages must define the same ids.
#[derive(rust_embed::Embed)]
#[folder = "locales/"]
struct Files;

/// The text of every message file of `lang`, by file name.
fn sources(lang: &str) -> Vec<(String, String)> {
    let prefix = format!("{lang}/");
    let mut files: Vec<(String, String)> = Files::iter()
        .filter(|name| name.starts_with(&prefix) && name.ends_with(".ftl"))
        .filter_map(|name| {
            let file = Files::get(&name)?;
            let text = String::from_utf8(file.data.into_owned()).ok()?;
            Some((name.into_owned(), text))
        })
        .collect();
    files.sort();
    files
}

/// The catalogue of both languages.
pub struct Catalogue {
    vi: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
    vi_ids: Vec<String>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue").finish_non_exhaustive()
    }
}

fn bundle(lang: &str) -> FluentBundle<FluentResource> {
    let locale = lang.parse().expect("static language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // Isolation marks would end up inside JSON messages and plain-text e-mails.
    bundle.set_use_isolating(false);
    for (name, text) in sources(lang) {
        let resource = FluentResource::try_new(text)
            .unwrap_or_else(|(_, errors)| panic!("locales/{name} does not parse: {errors:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{name} repeats ids: {errors:?}"));
    }
    bundle
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    vi: bundle("vi"),
    en: bundle("en"),
    vi_ids: sources("vi")
        .iter()
        .flat_map(|(_, text)| message_ids(text))
        .collect(),
});

/// The process-wide catalogue.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

/// A value placed into a message.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Number(i64),
    /// Another message id, translated in place.
    Message(String),
    /// Several message ids, translated and joined with commas.
    Messages(Vec<String>),
}

impl From<&Arg> for Value {
    fn from(arg: &Arg) -> Self {
        match arg {
            Arg::Text(text) => Value::Text(text.clone()),
            Arg::Number(number) => Value::Number(*number),
            Arg::Date(date) => Value::Text(format_date(*date)),
            Arg::Instant(at) => Value::Text(format_datetime(*at)),
            Arg::Message(id) => Value::Message(id.clone()),
            Arg::Messages(ids) => Value::Messages(ids.clone()),
        }
    }
}

/// One localized field error.
#[derive(Debug, Clone, Serialize)]
pub struct FieldMessage {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// A domain error in one language.
#[derive(Debug, Clone, Serialize)]
pub struct LocalizedError {
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldMessage>,
}

impl Catalogue {
    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// Whether `id` exists in `lang`.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// The message `id` without arguments.
    pub fn text(&self, lang: Lang, id: &str) -> String {
        self.format(lang, id, &[])
    }

    /// The message `id` with named arguments. A missing id yields the id itself, which the
    /// catalogue tests make impossible for ids the code uses.
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, Value)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Value::Text(text) => FluentValue::String(Cow::Owned(text.clone())),
                Value::Number(number) => FluentValue::from(*number),
                Value::Message(inner) => FluentValue::String(Cow::Owned(self.text(lang, inner))),
                Value::Messages(inner) => FluentValue::String(Cow::Owned(
                    inner
                        .iter()
                        .map(|id| self.text(lang, id))
                        .collect::<Vec<_>>()
                        .join(", "),
                )),
            };
            fluent_args.set(name.to_string(), value);
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    fn format_args(&self, lang: Lang, id: &str, args: &[(&'static str, Arg)]) -> String {
        let values: Vec<(&str, Value)> = args
            .iter()
            .map(|(name, arg)| (*name, Value::from(arg)))
            .collect();
        self.format(lang, id, &values)
    }

    /// Localizes a domain error: its summary and one message per invalid field.
    pub fn error(&self, lang: Lang, error: &DomainError) -> LocalizedError {
        let fields: Vec<FieldMessage> = error
            .violations
            .iter()
            .map(|violation| {
                let field_name = match violation.label {
                    Some(label) if self.has(lang, label) => self.text(lang, label),
                    // An unknown field has no name of ours: show it as the client sent it.
                    _ if violation.code == theodoi_domain::error::Code::FieldUnknown => {
                        violation.field.clone()
                    }
                    _ => self.field_label(lang, &violation.field),
                };
                let mut args = violation.args.clone();
                args.push(("field", Arg::Text(field_name)));
                FieldMessage {
                    field: violation.field.clone(),
                    code: violation.code.as_str(),
                    message: self.format_args(lang, violation.code.as_str(), &args),
                }
            })
            .collect();
        let message = match fields.as_slice() {
            [only] => only.message.clone(),
            [] => self.format_args(lang, error.code.as_str(), &error.args),
            many => self.format(
                lang,
                error.code.as_str(),
                &[(
                    "count",
                    Value::Number(i64::try_from(many.len()).unwrap_or(i64::MAX)),
                )],
            ),
        };
        LocalizedError {
            code: error.code.as_str(),
            message,
            fields,
        }
    }

    /// The user-facing name of a request field such as `tasks[1].deadline`: list indexes are
    /// dropped, and the whole path (`field-tasks-deadline`) is looked up before its last name
    /// (`field-deadline`).
    pub fn field_label(&self, lang: Lang, field: &str) -> String {
        let path: Vec<&str> = field
            .split('.')
            .map(|segment| segment.split('[').next().unwrap_or(segment))
            .collect();
        let whole = format!("field-{}", path.join("-").replace('_', "-"));
        if path.len() > 1 && self.has(lang, &whole) {
            return self.text(lang, &whole);
        }
        let last = field.rsplit('.').next().unwrap_or(field);
        let base = last.split('[').next().unwrap_or(last);
        let id = format!("field-{}", base.replace('_', "-"));
        if self.has(lang, &id) {
            self.text(lang, &id)
        } else {
            field.to_owned()
        }
    }

    /// Every message id, in the order of the Vietnamese files.
    pub fn ids(&self) -> Vec<&str> {
        self.vi_ids.iter().map(String::as_str).collect()
    }
}

/// Ids of the messages in a Fluent source: lines that start with an identifier and `=`.
fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests;
