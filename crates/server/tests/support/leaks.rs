//! Tools of the no-leak tests. Unique marker strings carry the record they belong to, and a
//! scan looks for the markers a user must not see in every text that user received. The
//! server's log is captured in memory, and server-sent events are read one by one.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use theodoi_domain::user::Clearance;

/// The two provinces of the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Province {
    A,
    B,
}

/// Confidentiality levels that can be stored, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Normal,
    Confidential,
    Secret,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Normal, Level::Confidential, Level::Secret];

    /// Returns the level's name in the API.
    pub fn code(self) -> &'static str {
        match self {
            Level::Normal => "normal",
            Level::Confidential => "confidential",
            Level::Secret => "secret",
        }
    }

    /// Returns the highest level a clearance covers.
    pub fn of(clearance: Clearance) -> Level {
        match clearance {
            Clearance::Normal => Level::Normal,
            Clearance::Confidential => Level::Confidential,
            Clearance::Secret => Level::Secret,
        }
    }
}

/// Whose record a marker or a task is: a province's at a level, or nobody's for text that the
/// server must reject and never store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Record(Province, Level),
    NeverStored,
}

/// What one reader may see: the records of one province up to a level, or no province's.
#[derive(Debug, Clone, Copy)]
pub struct Sight {
    pub province: Option<Province>,
    pub level: Level,
}

impl Sight {
    pub fn sees(&self, owner: Owner) -> bool {
        match owner {
            Owner::Record(province, level) => {
                self.province == Some(province) && level <= self.level
            }
            Owner::NeverStored => false,
        }
    }
}

/// Every marker handed out, with its owner and the field it was written into.
#[derive(Debug, Default)]
pub struct Markers {
    entries: Vec<(String, Owner, &'static str)>,
}

impl Markers {
    /// Creates a marker for `field` of a record of `owner`. It is lowercase ASCII so that HTML,
    /// JSON, XML and search folding leave it unchanged, and never a part of another marker.
    pub fn text(&mut self, owner: Owner, field: &'static str) -> String {
        let tag = match owner {
            Owner::Record(Province::A, level) => format!("a{}", level as u8),
            Owner::Record(Province::B, level) => format!("b{}", level as u8),
            Owner::NeverStored => "nx".to_owned(),
        };
        let marker = format!(
            "zq{tag}n{:03}{}",
            self.entries.len(),
            field.replace('_', "")
        );
        self.entries.push((marker.clone(), owner, field));
        marker
    }

    /// Creates a document symbol that is itself a marker, with a four-digit number no other
    /// symbol shares.
    pub fn symbol(&mut self, owner: Owner) -> String {
        let symbol = format!("{}-KL/TW", 8100 + self.entries.len());
        self.entries.push((symbol.clone(), owner, "symbol"));
        symbol
    }

    /// The markers `sight` must never receive.
    pub fn hidden_from(&self, sight: Sight) -> Vec<(&str, Owner, &'static str)> {
        self.entries
            .iter()
            .filter(|(_, owner, _)| !sight.sees(*owner))
            .map(|(marker, owner, field)| (marker.as_str(), *owner, *field))
            .collect()
    }

    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(marker, _, _)| marker.as_str())
    }
}

/// Findings of a scan: each names the reader, where the text came from and the marker.
#[derive(Debug, Default)]
pub struct Leaks(pub Vec<String>);

impl Leaks {
    /// Records every marker hidden from `sight` that occurs in `text`.
    pub fn scan(
        &mut self,
        markers: &Markers,
        reader: &str,
        sight: Sight,
        source: &str,
        text: &str,
    ) {
        let folded = text.to_lowercase();
        for (marker, owner, field) in markers.hidden_from(sight) {
            if folded.contains(&marker.to_lowercase()) {
                self.0.push(format!(
                    "{reader} received {marker} ({field} of {owner:?}) in {source}"
                ));
            }
        }
    }

    pub fn push(&mut self, finding: String) {
        self.0.push(finding);
    }

    /// Fails the test with every finding, one a line.
    pub fn assert_none(&self, what: &str) {
        assert!(
            self.0.is_empty(),
            "{} leaks in {what}:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// The log output of every server in this test binary.
#[derive(Clone, Default)]
pub struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log lock")).into_owned()
    }
}

/// Installs, once per test binary, a subscriber that writes every event at debug level and
/// above, with its spans, into memory: more than `theodoi serve` logs by default.
pub fn capture_log() -> CapturedLog {
    static LOG: OnceLock<CapturedLog> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = CapturedLog::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "debug,sqlx=info,hyper=info,hyper_util=info,reqwest=info,h2=info",
            ))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one log subscriber");
        log
    })
    .clone()
}

/// One server-sent event.
#[derive(Debug, Clone, Default)]
pub struct SseEvent {
    pub kind: String,
    pub id: Option<String>,
    pub data: String,
}

/// An open `GET /events` response read event by event.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
    /// Every byte received, for the marker scan.
    pub raw: String,
}

/// Maximum wait for an expected event or for the end of a stream; a stream that takes longer
/// fails the test instead of hanging it.
const WAIT: Duration = Duration::from_secs(30);

impl EventStream {
    pub async fn open(http: &reqwest::Client, base: &str) -> EventStream {
        let response = http
            .get(format!("{base}/events"))
            .header("Accept", "text/event-stream")
            .send()
            .await
            .expect("GET /events");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "event stream");
        EventStream {
            response,
            buffer: String::new(),
            raw: String::new(),
        }
    }

    /// Reads the next event; returns `None` once the server ended the stream.
    pub async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent::default();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        event.kind = value.trim().to_owned();
                    } else if let Some(value) = line.strip_prefix("id:") {
                        event.id = Some(value.trim().to_owned());
                    } else if let Some(value) = line.strip_prefix("data:") {
                        event.data = value.trim().to_owned();
                    }
                }
                // A block of comments only is the keep-alive.
                if event.kind.is_empty() && event.data.is_empty() {
                    continue;
                }
                return Some(event);
            }
            let chunk = self.response.chunk().await.expect("event stream read");
            let chunk = chunk?;
            let text = String::from_utf8_lossy(&chunk).replace("\r\n", "\n");
            self.raw.push_str(&text);
            self.buffer.push_str(&text);
        }
    }

    /// Reads until the `task` event of `task` arrives; returns the task ids of every `task`
    /// event before it.
    pub async fn until_task(&mut self, task: i64) -> Vec<i64> {
        let read = async {
            let mut before = Vec::new();
            loop {
                let event = self
                    .next()
                    .await
                    .unwrap_or_else(|| panic!("stream ended before task {task} arrived"));
                if event.kind != "task" {
                    continue;
                }
                let id: i64 = event.data.parse().expect("task id");
                if id == task {
                    return before;
                }
                before.push(id);
            }
        };
        // Keep-alive comments arrive every 20 seconds, so only a bound on the whole read
        // turns a missing event into a failure.
        tokio::time::timeout(WAIT, read)
            .await
            .unwrap_or_else(|_| panic!("no event of task {task} in time"))
    }

    /// Reads until the server ends the stream; returns the task ids received meanwhile.
    pub async fn until_end(&mut self) -> Vec<i64> {
        let read = async {
            let mut received = Vec::new();
            while let Some(event) = self.next().await {
                if event.kind == "task" {
                    received.push(event.data.parse().expect("task id"));
                }
            }
            received
        };
        tokio::time::timeout(WAIT, read)
            .await
            .expect("the server ends the stream in time")
    }
}
