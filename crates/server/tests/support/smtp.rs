//! A tiny SMTP server on 127.0.0.1 that stores every message it accepts, for e-mail tests. It
//! speaks the part of SMTP that lettre uses without TLS or login, and can reply to the next
//! messages with a temporary failure (451) to exercise retries.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A message as the sink received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    /// The raw message: headers, blank line, encoded body.
    pub data: String,
}

impl Received {
    /// Returns the decoded `Subject` header.
    pub fn subject(&self) -> String {
        decode_words(&self.header("subject").unwrap_or_default())
    }

    /// Returns the value of header `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let (headers, _) = self.data.split_once("\r\n\r\n")?;
        let unfolded = headers.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.split("\r\n").find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    /// Returns the body, decoded from base64 when it is so encoded.
    pub fn body(&self) -> String {
        let (_, body) = self.data.split_once("\r\n\r\n").unwrap_or(("", ""));
        let base64 = self
            .header("content-transfer-encoding")
            .is_some_and(|value| value.eq_ignore_ascii_case("base64"));
        if !base64 {
            return body.to_owned();
        }
        let joined: String = body.split_whitespace().collect();
        let bytes = STANDARD.decode(joined).expect("base64 body");
        String::from_utf8(bytes).expect("UTF-8 body")
    }

    /// Subject, body and raw message together, for checks that something appears nowhere.
    pub fn everything(&self) -> String {
        format!("{}\n{}\n{}", self.subject(), self.body(), self.data)
    }
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=` and `=?utf-8?q?…?=`); whitespace between
/// two encoded words is dropped, as RFC 2047 requires.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for token in value.split_whitespace() {
        let decoded = token
            .strip_prefix("=?")
            .and_then(|rest| rest.strip_suffix("?="))
            .and_then(|inner| {
                let mut parts = inner.splitn(3, '?');
                let _charset = parts.next()?;
                let encoding = parts.next()?;
                let text = parts.next()?;
                let bytes = if encoding.eq_ignore_ascii_case("b") {
                    STANDARD.decode(text).ok()?
                } else {
                    decode_q(text)
                };
                String::from_utf8(bytes).ok()
            });
        match decoded {
            Some(text) => {
                if !previous_encoded && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text);
                previous_encoded = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(token);
                previous_encoded = false;
            }
        }
    }
    out
}

fn decode_q(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'_' => out.push(b' '),
            b'=' if index + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                index += 2;
            }
            other => out.push(other),
        }
        index += 1;
    }
    out
}

#[derive(Debug, Default)]
struct Inbox {
    messages: Vec<Received>,
    /// How many of the next messages get a temporary failure.
    failures: usize,
}

/// The running sink.
pub struct SmtpSink {
    pub port: u16,
    inbox: Arc<Mutex<Inbox>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let port = listener.local_addr().expect("sink address").port();
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let shared = inbox.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, shared.clone()));
            }
        });
        SmtpSink { port, inbox, task }
    }

    /// Returns every message received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().expect("sink lock").messages.clone()
    }

    /// Messages addressed to `address`.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|message| message.to.iter().any(|to| to == address))
            .collect()
    }

    /// Rejects the next `count` messages with 451, a temporary failure.
    pub fn fail_next(&self, count: usize) {
        self.inbox.lock().expect("sink lock").failures = count;
    }
}

/// Returns the address inside `MAIL FROM:<…>` or `RCPT TO:<…>`.
fn address(line: &str) -> String {
    line.split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(address, _)| address.to_owned())
        .unwrap_or_default()
}

async fn session(stream: TcpStream, inbox: Arc<Mutex<Inbox>>) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    let mut to = Vec::new();
    if writer.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                to.clear();
                b"250 OK\r\n"
            }
            "MAIL" => {
                let mut inbox = inbox.lock().expect("sink lock");
                if inbox.failures > 0 {
                    inbox.failures -= 1;
                    b"451 4.3.0 Try again later\r\n"
                } else {
                    b"250 OK\r\n"
                }
            }
            "RCPT" => {
                to.push(address(&line));
                b"250 OK\r\n"
            }
            "DATA" => {
                if writer
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    // A leading dot is doubled on the wire ("dot stuffing").
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push_str("\r\n");
                }
                inbox.lock().expect("sink lock").messages.push(Received {
                    to: std::mem::take(&mut to),
                    data,
                });
                b"250 OK queued\r\n"
            }
            "QUIT" => {
                let _ = writer.write_all(b"221 Bye\r\n").await;
                return;
            }
            _ => b"502 Command not implemented\r\n",
        };
        if writer.write_all(reply).await.is_err() {
            return;
        }
    }
}
