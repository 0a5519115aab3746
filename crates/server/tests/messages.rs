//! Every message id the pages use exists in both languages: templates and page code name their
//! messages by literal ids, and a missing one would show the id to users.

use std::path::Path;
use theodoi_i18n::{Lang, catalogue};

/// Literal ids passed to the message helpers: `t("…")`, `t1("…"`, `tn("…"` and `text("…")`.
fn literal_ids(source: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for call in ["t(\"", "t1(\"", "tn(\"", "text(\""] {
        let mut rest = source;
        while let Some(start) = rest.find(call) {
            let after = &rest[start + call.len()..];
            let preceded_by_word = start > 0
                && rest[..start]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
            if let Some(end) = after.find('"')
                && !preceded_by_word
            {
                let id = &after[..end];
                if id.starts_with(|c: char| c.is_ascii_lowercase())
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    ids.push(id.to_owned());
                }
            }
            rest = after;
        }
    }
    ids
}

fn sources(folder: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(folder).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "html" || extension == "rs")
        {
            let text = std::fs::read_to_string(&path).expect("source file");
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn page_message_ids_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("templates"), &mut files);
    sources(&root.join("src/web"), &mut files);
    let mut missing = Vec::new();
    for (path, text) in &files {
        for id in literal_ids(text) {
            for lang in Lang::ALL {
                if !catalogue().has(lang, &id) {
                    missing.push(format!("{path}: {id} ({lang:?})"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "messages missing:\n{}",
        missing.join("\n")
    );
}
