//! Helpers shared by the page tests of a body's work and of its monitoring body. They post
//! multipart forms with files and read the hidden fields of one form and the message next to a
//! field. They also create the tasks these tests start from.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the helpers"
)]

use crate::support::web::WebClient;
use crate::support::{Client, TestServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// One part of a multipart form.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        name: &'a str,
        file_name: &'a str,
        content_type: &'a str,
        data: &'a [u8],
    },
}

static BOUNDARY: AtomicU64 = AtomicU64::new(1);

/// Posts `parts` as `multipart/form-data` after the session's CSRF token, with a fresh boundary
/// each time as a browser does. Returns the status, the redirect target and the HTML.
pub async fn post_multipart(
    client: &WebClient,
    path: &str,
    parts: &[Part<'_>],
) -> (StatusCode, Option<String>, String) {
    let boundary = format!(
        "----theodoi-test-{}",
        BOUNDARY.fetch_add(1, Ordering::Relaxed)
    );
    let mut body = Vec::new();
    let text = |name: &str, value: &str, body: &mut Vec<u8>| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    text("_csrf", &client.csrf, &mut body);
    for part in parts {
        match part {
            Part::Text(name, value) => text(name, value, &mut body),
            Part::File {
                name,
                file_name,
                content_type,
                data,
            } => {
                body.extend_from_slice(
                    format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                         filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(data);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let response = client
        .http
        .post(format!("{}{path}", client.base))
        .header("Accept", "text/html")
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("POST multipart");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("body"))
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
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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

/// Returns the message shown next to the input with id `input`, from its `…-error` element.
pub fn field_error(html: &str, input: &str) -> Option<String> {
    let marker = format!("id=\"{input}-error\">");
    let start = html.find(&marker)? + marker.len();
    let end = start + html[start..].find('<')?;
    Some(unescape(&html[start..end]))
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

/// A task of Hà Nội from a new normal document, in progress (transferred and received), with
/// `deadline`; returns its id.
pub async fn hanoi_task_in_progress(
    server: &TestServer,
    office: &Client,
    receiver: &Client,
    symbol: &str,
    content: &str,
    deadline: &str,
) -> i64 {
    let document = crate::support::fixture::document(server, office, symbol, "normal").await;
    let task = crate::support::fixture::draft_task(
        office,
        document,
        crate::support::fixture::hanoi_task(server, Some(content), json!(deadline)),
    )
    .await;
    crate::support::fixture::start(office, receiver, task).await;
    task
}

/// Fetches the task from the API.
pub async fn task(client: &Client, id: i64) -> Value {
    client.fetch(&format!("/api/v1/tasks/{id}")).await
}

/// Fetches the events of a task from the API.
pub async fn events(client: &Client, id: i64) -> Vec<Value> {
    client
        .fetch(&format!("/api/v1/tasks/{id}/events"))
        .await
        .as_array()
        .expect("events")
        .clone()
}

/// Counts the events of `kind` in the task's history.
pub async fn count_events(client: &Client, id: i64, kind: &str) -> usize {
    events(client, id)
        .await
        .iter()
        .filter(|event| event["type"] == kind)
        .count()
}

/// Adds a unit below Hà Nội through the API and returns its id.
pub async fn hanoi_unit(office: &Client, server: &TestServer, code: &str, name: &str) -> i64 {
    let unit = office
        .ok(
            "/api/v1/organisations",
            json!({"code": code, "name_vi": name, "parent_id": server.org_id("TU-HNI")}),
        )
        .await;
    unit["id"].as_i64().expect("unit id")
}

/// Bytes that start like a PDF file.
pub fn pdf(len: usize) -> Vec<u8> {
    let mut data = b"%PDF-1.7\n".to_vec();
    data.resize(len.max(data.len()), b'x');
    data
}
