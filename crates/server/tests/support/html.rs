//! Reading pages the way a user sees them: text without tags, the message next to a field, and
//! the fields of one form.

use std::collections::BTreeMap;

/// `text` as askama writes it into HTML.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
}

/// Undoes the HTML escaping of attribute values and text.
pub fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#x22;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// Returns the text of `html` without tags, escaping or runs of white space.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of the element with id `id`, up to its first child tag.
pub fn text_of(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    let start = html.find(&marker)?;
    let open = start + html[start..].find('>')? + 1;
    let close = open + html[open..].find('<')?;
    Some(html[open..close].trim().to_owned())
}

/// Returns the message shown next to the input with id `input`, from its `…-error` element.
pub fn field_error(html: &str, input: &str) -> Option<String> {
    text_of(html, &format!("{input}-error")).map(|message| unescape(&message))
}

/// Returns the error shown next to the input with id `input`, and panics with the page when
/// there is none.
pub fn error_next_to(html: &str, input: &str) -> String {
    text_of(html, &format!("{input}-error"))
        .unwrap_or_else(|| panic!("no error next to {input} in:\n{html}"))
}

/// Returns the HTML of the first form whose action is `action`.
pub fn form<'a>(html: &'a str, action: &str) -> Option<&'a str> {
    let start = html
        .match_indices("<form")
        .map(|(index, _)| index)
        .find(|index| {
            let tag_end = html[*index..]
                .find('>')
                .map(|end| index + end)
                .unwrap_or(html.len());
            unescape(&html[*index..tag_end]).contains(&format!("action=\"{action}\""))
        })?;
    let end = start + html[start..].find("</form>")?;
    Some(&html[start..end])
}

/// Returns the hidden fields of the form with `action`, by name. They are sorted by name, so
/// two posts of the same fields send the same body, as two clicks in a browser do.
pub fn hidden_fields(html: &str, action: &str) -> BTreeMap<String, String> {
    let Some(form) = form(html, action) else {
        panic!("no form posting to {action} in the page:\n{html}");
    };
    let mut fields = BTreeMap::new();
    for (index, _) in form.match_indices("type=\"hidden\"") {
        let tag_start = form[..index].rfind('<').unwrap_or(0);
        let tag_end = index + form[index..].find('>').unwrap_or(0);
        let tag = &form[tag_start..tag_end];
        let attribute = |name: &str| {
            let marker = format!("{name}=\"");
            let start = tag.find(&marker)? + marker.len();
            let end = start + tag[start..].find('"')?;
            Some(unescape(&tag[start..end]))
        };
        if let (Some(name), Some(value)) = (attribute("name"), attribute("value")) {
            fields.insert(name, value);
        }
    }
    fields
}

/// Returns the value of the field `name` inside the form posting to `action`.
pub fn form_field(html: &str, action: &str, name: &str) -> Option<String> {
    let form = form(html, action)?;
    let marker = format!("name=\"{name}\" value=\"");
    let start = form.find(&marker)? + marker.len();
    let end = start + form[start..].find('"')?;
    Some(form[start..end].to_owned())
}

/// Turns borrowed form fields into owned pairs, for forms built up field by field.
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}
