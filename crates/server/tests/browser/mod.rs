//! Headless Chromium driven over WebDriver, for tests of the pages as a user sees them.
//!
//! `Driver::start` launches `chromedriver` on a free port of 127.0.0.1 and holds a process-wide
//! lock, so the browser tests of one test binary run one at a time. Two Chromium instances at
//! once on a 2-core CI machine would slow each other down and make the timing checks of live
//! updates flaky. `Driver::browser` opens a Chromium session with its own fresh profile and so
//! its own cookies, which lets one test keep several users signed in at once. Dropping the
//! `Driver` kills ChromeDriver and every Chromium process it started.

#![allow(
    dead_code,
    reason = "each browser test file uses a different part of the harness"
)]

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::future::Future;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{Mutex, MutexGuard};

/// How long a page may take to show an element or a text before a wait fails. Generous,
/// because a debug build of the server on a loaded CI machine can be slow to render.
pub const WAIT: Duration = Duration::from_secs(10);

/// How often a wait checks its condition again.
const POLL: Duration = Duration::from_millis(25);

/// How long ChromeDriver may take to accept requests on its port after it starts.
const DRIVER_START: Duration = Duration::from_secs(15);

/// Serialises the browser tests of one test binary (see the module documentation).
static SERIAL: Mutex<()> = Mutex::const_new(());

/// Chromium switches for a headless run as root on a closed network. Without the
/// background-networking switches Chromium keeps trying to reach Google's update, sync and
/// metrics services, which on a closed network floods it with refused connections.
const CHROMIUM_SWITCHES: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--window-size=1280,800",
    "--lang=vi-VN",
];

/// Finds `program` in the folders of `PATH` and returns its full path.
fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Returns the paths of `chromium` and `chromedriver`. Panics with the fix when one is missing,
/// so that a machine without them fails the browser tests instead of skipping them.
fn browser_programs() -> (PathBuf, PathBuf) {
    let chromium = find_on_path("chromium");
    let chromedriver = find_on_path("chromedriver");
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => (chromium, chromedriver),
        (chromium, chromedriver) => {
            let missing: Vec<&str> = [
                chromium.is_none().then_some("chromium"),
                chromedriver.is_none().then_some("chromedriver"),
            ]
            .into_iter()
            .flatten()
            .collect();
            panic!(
                "the browser tests need Chromium and ChromeDriver, but PATH has no {}: \
                 install Debian's packages with `apt-get install chromium chromium-driver`",
                missing.join(" and no ")
            )
        }
    }
}

/// Returns a port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// Returns the folder for screenshots, `target/tmp/browser`, which is kept after the run.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser")
}

/// Starts ChromeDriver on `port` of 127.0.0.1, logging to `log_path`.
fn spawn_chromedriver(chromedriver: &Path, port: u16, log_path: &Path) -> Child {
    let log = std::fs::File::create(log_path).expect("ChromeDriver log file");
    // Its own process group, so that Drop can kill ChromeDriver together with the Chromium
    // processes it starts: killing ChromeDriver alone leaves them running.
    Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log handle"))
        .stderr(log)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|error| panic!("failed to start {}: {error}", chromedriver.display()))
}

/// Polls ChromeDriver's status at `url` until it is ready for sessions. Returns the exit status
/// if the process ends first, and panics with its log if it does not respond in time.
async fn wait_until_ready(child: &mut Child, url: &str, log_path: &Path) -> Result<(), ExitStatus> {
    let http = reqwest::Client::new();
    let status_url = format!("{url}/status");
    let started = Instant::now();
    loop {
        if let Ok(Some(exit)) = child.try_wait() {
            return Err(exit);
        }
        if let Ok(response) = http.get(&status_url).send().await
            && let Ok(status) = response.json::<Value>().await
            && status["value"]["ready"] == true
        {
            return Ok(());
        }
        if started.elapsed() > DRIVER_START {
            let _ = child.kill();
            let _ = child.wait();
            let log = std::fs::read_to_string(log_path).unwrap_or_default();
            panic!(
                "ChromeDriver did not respond on {url} within {DRIVER_START:?}; its log:\n{log}"
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// A running ChromeDriver, which opens Chromium sessions with `browser`.
pub struct Driver {
    url: String,
    chromium: PathBuf,
    child: Child,
    /// Folder with ChromeDriver's log and the browser profiles, removed after the kill.
    dir: tempfile::TempDir,
    profiles: AtomicUsize,
    /// Dropped last, after the processes are gone, so the next test starts on an idle machine.
    _serial: MutexGuard<'static, ()>,
}

impl Driver {
    /// Starts ChromeDriver and waits until it accepts sessions. Before that, it waits for any
    /// other browser test of this binary to finish.
    pub async fn start() -> Driver {
        let (chromium, chromedriver) = browser_programs();
        let serial = SERIAL.lock().await;
        let dir = tempfile::Builder::new()
            .prefix("theodoi-browser-")
            .tempdir()
            .expect("temporary folder for the browser");
        let log_path = dir.path().join("chromedriver.log");

        // Another process may take the free port before ChromeDriver binds it, so a start that
        // exits at once is tried again on another port.
        for attempt in 1..=3 {
            let port = free_port();
            let url = format!("http://127.0.0.1:{port}");
            let mut child = spawn_chromedriver(&chromedriver, port, &log_path);
            match wait_until_ready(&mut child, &url, &log_path).await {
                Ok(()) => {
                    return Driver {
                        url,
                        chromium,
                        child,
                        dir,
                        profiles: AtomicUsize::new(0),
                        _serial: serial,
                    };
                }
                Err(exit) => eprintln!("ChromeDriver exited at start ({exit}), attempt {attempt}"),
            }
        }
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        panic!("ChromeDriver failed to start three times; its last log:\n{log}");
    }

    /// Opens a Chromium window with a fresh profile at 1280×800. `Browser::goto` paths are
    /// relative to `base`, the test server's origin.
    pub async fn browser(&self, base: &str) -> Browser {
        let profile_number = self.profiles.fetch_add(1, Ordering::Relaxed);
        let profile = self.dir.path().join(format!("profile-{profile_number}"));
        let mut args: Vec<String> = CHROMIUM_SWITCHES.iter().map(|s| (*s).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium.to_string_lossy(),
                "args": args,
                // A browser set to Vietnamese, as in the offices: the login page follows the
                // browser's Accept-Language.
                "prefs": { "intl.accept_languages": "vi-VN,vi" },
            },
            // Fail a stuck navigation or script within the test's time rather than after the
            // WebDriver defaults of several minutes.
            "timeouts": { "script": 15_000, "pageLoad": 30_000, "implicit": 0 },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("capabilities are a JSON object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|error| panic!("failed to open a Chromium session: {error}"));
        Browser {
            client,
            base: base.trim_end_matches('/').to_owned(),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group id is ChromeDriver's pid (see `process_group(0)` above). SIGKILL needs no
        // cooperation from a browser that may be stuck.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One Chromium window with its own cookies, on the test server.
pub struct Browser {
    pub client: Client,
    pub base: String,
}

impl Browser {
    /// Ends the WebDriver session, which closes Chromium cleanly.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }

    /// Opens `path` on the test server and waits for the page to load.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|error| panic!("failed to open {url}: {error}"));
    }

    /// Returns the path and query of the current page.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Runs `script` in the page (`arguments[i]` are `args`) and returns its result.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|error| panic!("script failed: {error}\n{script}"))
    }

    /// Runs an asynchronous `script` that ends by calling `arguments[arguments.length - 1]`
    /// with its result.
    pub async fn eval_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|error| panic!("script failed: {error}\n{script}"))
    }

    /// The Content-Security-Policy violations of the current document, as "directive blocked"
    /// lines. Chromium queues them as `csp-violation` reports, which a `ReportingObserver`
    /// created with `buffered: true` receives even for violations before it existed.
    pub async fn csp_violations(&self) -> Vec<String> {
        let reports = self
            .eval_async(
                "const done = arguments[arguments.length - 1];
                 const seen = [];
                 const describe = report =>
                   `${report.body.effectiveDirective} ${report.body.blockedURL} ${report.body.sourceFile || ''}:${report.body.lineNumber || ''}`;
                 const observer = new ReportingObserver(
                   reports => reports.forEach(report => seen.push(describe(report))),
                   { types: ['csp-violation'], buffered: true });
                 observer.observe();
                 setTimeout(() => {
                   observer.takeRecords().forEach(report => seen.push(describe(report)));
                   observer.disconnect();
                   done(seen);
                 }, 300);",
                vec![],
            )
            .await;
        reports
            .as_array()
            .expect("reports")
            .iter()
            .map(|report| report.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Saves a PNG of the window as `target/tmp/browser/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Polls `check` until it returns `Some` or `timeout` passes. On timeout it panics with
    /// `condition`, the current page and a screenshot of it.
    pub async fn wait_until<T, F, Fut>(&self, condition: &str, timeout: Duration, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(value) = check().await {
                return value;
            }
            if started.elapsed() > timeout {
                self.fail(&format!(
                    "timed out after {timeout:?} waiting for {condition}"
                ))
                .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Panics with `message`, the current page and the path of a screenshot of it.
    pub async fn fail(&self, message: &str) -> ! {
        let path = self.path().await;
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis())
            .unwrap_or_default();
        let screenshot = self.screenshot(&format!("failure-{stamp}")).await;
        let text = self
            .eval(
                "return document.body ? document.body.innerText : '';",
                vec![],
            )
            .await;
        let text: String = text
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(2000)
            .collect();
        panic!(
            "{message}\npage: {path}\nscreenshot: {}\npage text:\n{text}",
            screenshot.display()
        )
    }

    /// Waits until an element matching `css` is in the page and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_until(&format!("an element `{css}`"), WAIT, || async {
            self.client.find(Locator::Css(css)).await.ok()
        })
        .await
    }

    /// Waits until an element matching `css` contains `text` and returns that element.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Element {
        self.wait_until(
            &format!("an element `{css}` containing \"{text}\""),
            WAIT,
            || async {
                for element in self.client.find_all(Locator::Css(css)).await.ok()? {
                    if element.text().await.is_ok_and(|shown| shown.contains(text)) {
                        return Some(element);
                    }
                }
                None
            },
        )
        .await
    }

    /// Waits until the current path starts with `prefix` and returns the whole path.
    pub async fn wait_for_path(&self, prefix: &str) -> String {
        self.wait_until(&format!("a page at {prefix}…"), WAIT, || async {
            let path = self.path().await;
            path.starts_with(prefix).then_some(path)
        })
        .await
    }

    /// Returns whether an element matching `css` is in the page now.
    pub async fn has(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Waits for an element matching `css` and returns its visible text.
    pub async fn text_of(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.expect("element text")
    }

    /// Types `text` into the field matching `css` after clearing it, as a user would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.expect("clear field");
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|error| panic!("failed to type into `{css}`: {error}"));
    }

    /// Sets the value of the field matching `css` (a date or any input that typing cannot fill
    /// reliably) and fires the `input` and `change` events a user's edit would.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.wait_for(css).await;
        self.eval(
            "const field = document.querySelector(arguments[0]);
             field.value = arguments[1];
             field.dispatchEvent(new Event('input', { bubbles: true }));
             field.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await;
    }

    /// Chooses the option with `value` in the `<select>` matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        self.wait_for(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|error| panic!("no option {value} in `{css}`: {error}"));
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .unwrap_or_else(|error| panic!("failed to click `{css}`: {error}"));
    }

    /// Clicks the element matching `css` (a link or a submit button) and waits until the page
    /// it leads to has loaded.
    pub async fn click_and_load(&self, css: &str) {
        // A mark on the current page's window: it is gone once another page has loaded.
        self.eval("window.theodoiPreviousPage = true;", vec![])
            .await;
        self.click(css).await;
        self.wait_until(&format!("the page that `{css}` leads to"), WAIT, || async {
            // Scripts fail while the next page is loading, which counts as not yet.
            let loaded = self
                .client
                .execute(
                    "return window.theodoiPreviousPage === undefined
                             && document.readyState === 'complete';",
                    vec![],
                )
                .await
                .ok()?;
            (loaded == json!(true)).then_some(())
        })
        .await;
    }

    /// Follows the navigation link to `href` in the sidebar.
    pub async fn open_from_nav(&self, href: &str) {
        self.click_and_load(&format!("nav.sidebar a[href='{href}']"))
            .await;
    }

    /// Presses and releases `key` wherever the keyboard focus is.
    pub async fn press(&self, key: Key) {
        let keyboard = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        self.client
            .perform_actions(keyboard)
            .await
            .expect("keyboard action");
    }

    /// Signs `username` in through the login form (the account must exist, with the test
    /// password) and waits for the signed-in page frame.
    pub async fn login(&self, username: &str) {
        self.goto("/login").await;
        self.fill("#username", username).await;
        self.fill("#password", crate::support::PASSWORD).await;
        self.click_and_load("form[action='/login'] button[type='submit']")
            .await;
        self.wait_signed_in(username, false).await;
    }

    /// Signs `username`, whose account needs a TOTP code, in through the login form and the
    /// code page that follows it, with a code of the test secret at the server's clock.
    pub async fn login_with_code(&self, server: &crate::support::TestServer, username: &str) {
        self.goto("/login").await;
        self.fill("#username", username).await;
        self.fill("#password", crate::support::PASSWORD).await;
        self.click_and_load("form[action='/login'] button[type='submit']")
            .await;
        self.wait_for("form[action='/login/code'] #code").await;
        let code = server.code_for(username).await;
        self.fill("#code", &code).await;
        self.click_and_load("form[action='/login/code'] button[type='submit']")
            .await;
        self.wait_signed_in(username, true).await;
    }

    /// Waits for the signed-in page frame after a login, and fails on the login page's error.
    /// Without `with_code`, a page asking for a TOTP code fails too.
    async fn wait_signed_in(&self, username: &str, with_code: bool) {
        self.wait_until(
            &format!("the signed-in page of {username}"),
            WAIT,
            || async {
                if self.has(".login-page .alert").await {
                    let message = self.text_of(".login-page .alert").await;
                    panic!("login of {username} failed: {message}");
                }
                assert!(
                    with_code || !self.has("#code").await,
                    "{username} needs a TOTP code: use login_with_code"
                );
                self.has("header.topbar").await.then_some(())
            },
        )
        .await;
    }

    /// Signs the current user out with the button in the page header.
    pub async fn logout(&self) {
        self.click_and_load("form[action='/logout'] button[type='submit']")
            .await;
        self.wait_for("#username").await;
    }

    /// Collects every URL the page loaded or refers to as a resource. These are the Resource
    /// Timing entries (stylesheets, scripts, fonts, images, fetches) and the `src` or `href` of
    /// `<link>`, `<script>`, `<img>`, SVG `<use>` and any other element with a `src`.
    pub async fn resource_urls(&self) -> Vec<String> {
        let urls = self
            .eval(
                "const urls = performance.getEntriesByType('resource').map(entry => entry.name);
                 const elements = document.querySelectorAll(
                     'link[href], script[src], img[src], [src], use[href], image[href]');
                 for (const element of elements) {
                     const value = element.getAttribute('src') ?? element.getAttribute('href');
                     if (value) urls.push(new URL(value, document.baseURI).href);
                 }
                 return urls;",
                vec![],
            )
            .await;
        serde_json::from_value(urls).expect("a list of URLs")
    }

    /// Returns the URLs among `resource_urls` that are not on the test server's origin.
    /// `data:` URLs count as local because they come from no host at all.
    pub async fn foreign_resources(&self) -> Vec<String> {
        let origin = reqwest::Url::parse(&self.base)
            .expect("server URL")
            .origin();
        self.resource_urls()
            .await
            .into_iter()
            .filter(|url| match reqwest::Url::parse(url) {
                Ok(parsed) => parsed.scheme() != "data" && parsed.origin() != origin,
                Err(_) => true,
            })
            .collect()
    }

    /// Sets the window to `width`×800, waits until the page is drawn again at that size, and
    /// returns the viewport width.
    pub async fn set_width(&self, width: u32) -> u64 {
        self.client
            .set_window_size(width, 800)
            .await
            .expect("resize window");
        self.settle().await;
        let inner = self.eval("return window.innerWidth;", vec![]).await;
        inner.as_u64().expect("innerWidth")
    }

    /// Loads the current page again and waits until it is drawn.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload the page");
        self.settle().await;
    }

    /// Waits until the page's fonts have loaded and two frames have been drawn, so that
    /// scripts that size elements on load (charts) have run.
    pub async fn settle(&self) {
        self.eval_async(
            "const done = arguments[arguments.length - 1];
             document.fonts.ready.then(() =>
                 requestAnimationFrame(() => requestAnimationFrame(() => done(null))));",
            vec![],
        )
        .await;
    }

    /// Lists the elements wider than the viewport if the page scrolls sideways, else nothing.
    pub async fn horizontal_overflow(&self) -> Vec<String> {
        let found = self
            .eval(
                "const root = document.documentElement;
                 if (root.scrollWidth <= root.clientWidth && document.body.scrollWidth <= root.clientWidth) {
                     return [];
                 }
                 const wide = [`page ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport`];
                 for (const element of document.body.querySelectorAll('*')) {
                     const box = element.getBoundingClientRect();
                     if (box.right > root.clientWidth + 1 && wide.length < 8) {
                         const name = element.tagName.toLowerCase()
                             + (element.id ? '#' + element.id : '')
                             + (element.className && typeof element.className === 'string'
                                 ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
                         wide.push(`${name} ends at ${Math.round(box.right)}px`);
                     }
                 }
                 return wide;",
                vec![],
            )
            .await;
        serde_json::from_value(found).expect("a list of elements")
    }

    /// Waits until the fonts the page uses have loaded and returns its font faces as
    /// `(family, status, unicode range)`, with the quotes removed from the family name.
    pub async fn font_faces(&self) -> Vec<(String, String, String)> {
        let faces = self
            .eval_async(
                "const done = arguments[arguments.length - 1];
                 document.fonts.ready.then(() => {
                     const faces = [];
                     document.fonts.forEach(face => faces.push(
                         [face.family.replace(/[\"']/g, ''), face.status, face.unicodeRange]));
                     done(faces);
                 });",
                vec![],
            )
            .await;
        serde_json::from_value(faces).expect("a list of font faces")
    }

    /// Describes the focused element: its tag, id, class and `href`, whether it shows a focus
    /// outline, and whether it lies inside the viewport.
    pub async fn focused(&self) -> Focused {
        let value = self
            .eval(
                "const element = document.activeElement;
                 const style = getComputedStyle(element);
                 const box = element.getBoundingClientRect();
                 return {
                     tag: element.tagName.toLowerCase(),
                     id: element.id,
                     class: typeof element.className === 'string' ? element.className : '',
                     href: element.getAttribute('href'),
                     outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                     on_screen: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0
                         && box.right <= window.innerWidth && box.bottom <= window.innerHeight,
                 };",
                vec![],
            )
            .await;
        serde_json::from_value(value).expect("a focused element")
    }

    /// Waits until the page's server-sent event stream (`sse-connect`, opened by htmx) is
    /// open, so that a change made from now on reaches the page.
    ///
    /// NOTE: reads the `EventSource` from `htmx-internal-data`, where htmx 2.0 and its sse
    /// extension 2.2 keep it. A newer htmx may move it, and then this wait times out.
    pub async fn wait_for_live_stream(&self) {
        self.wait_until("the live event stream to open", WAIT, || async {
            let state = self
                .eval(
                    "const element = document.querySelector('[sse-connect]');
                     const data = element && element['htmx-internal-data'];
                     const source = data && data.sseEventSource;
                     return source ? source.readyState : null;",
                    vec![],
                )
                .await;
            // 1 is EventSource.OPEN.
            (state == json!(1)).then_some(())
        })
        .await;
    }

    /// Starts recording every change of the text of the element matching `css`, with the
    /// wall-clock time (`Date.now()`) the page saw it, and returns the current text. The
    /// element may be replaced by a fragment swap in between.
    pub async fn watch_text(&self, css: &str) -> String {
        self.wait_for(css).await;
        let before = self
            .eval(
                "const selector = arguments[0];
                 const read = () => {
                     const element = document.querySelector(selector);
                     return element ? element.textContent.trim() : null;
                 };
                 window.theodoiWatches = window.theodoiWatches || {};
                 const previous = window.theodoiWatches[selector];
                 if (previous) previous.observer.disconnect();
                 const watch = { last: read(), changes: [] };
                 watch.observer = new MutationObserver(() => {
                     const now = read();
                     if (now !== watch.last) {
                         watch.last = now;
                         watch.changes.push([now, Date.now()]);
                     }
                 });
                 watch.observer.observe(document.body,
                     { subtree: true, childList: true, characterData: true });
                 window.theodoiWatches[selector] = watch;
                 return watch.last;",
                vec![json!(css)],
            )
            .await;
        before.as_str().expect("watched text").to_owned()
    }

    /// Waits until the text watched with `watch_text(css)` has changed to `expected` at or
    /// after `since`, and returns how long after `since` the page showed it.
    pub async fn watched_value(
        &self,
        css: &str,
        expected: &str,
        since: SystemTime,
        timeout: Duration,
    ) -> Duration {
        let since_ms = since
            .duration_since(UNIX_EPOCH)
            .expect("a time after 1970")
            .as_millis();
        let shown_at = self
            .wait_until(
                &format!("`{css}` to show \"{expected}\""),
                timeout,
                || async {
                    let changes = self
                        .eval(
                            "const watch = (window.theodoiWatches || {})[arguments[0]];
                             return watch ? watch.changes : null;",
                            vec![json!(css)],
                        )
                        .await;
                    let changes: Vec<(Option<String>, u64)> =
                        serde_json::from_value(changes).ok()?;
                    changes
                        .into_iter()
                        .find(|(text, at)| {
                            text.as_deref() == Some(expected) && u128::from(*at) >= since_ms
                        })
                        .map(|(_, at)| at)
                },
            )
            .await;
        let shown_at = UNIX_EPOCH + Duration::from_millis(shown_at);
        shown_at.duration_since(since).unwrap_or(Duration::ZERO)
    }
}

/// The element that has the keyboard focus (see `Browser::focused`).
#[derive(Debug, serde::Deserialize)]
pub struct Focused {
    pub tag: String,
    pub id: String,
    pub class: String,
    pub href: Option<String>,
    /// Presence of an outline, the page's focus indicator.
    pub outline: bool,
    pub on_screen: bool,
}
