//! Headless Chromium driven through chromedriver with fantoccini, shared by
//! the browser tests (`browser`, `theme`).
//!
//! Without Chromium and chromedriver the tests say loudly that they were
//! skipped, unless `ANNALS_REQUIRE_BROWSER=1` (as in CI) makes that a failure.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;

/// What a browser step returns: a failure is a message.
pub type Step<T = ()> = Result<T, String>;

/// The programs the browser tests need.
pub struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Tools {
    /// Finds Chromium and chromedriver, or explains why the tests cannot run:
    /// a panic when `ANNALS_REQUIRE_BROWSER=1`, a banner on stderr otherwise.
    pub fn find() -> Option<Tools> {
        match (program("chromium"), program("chromedriver")) {
            (Some(chromium), Some(chromedriver)) => Some(Tools { chromium, chromedriver }),
            _ if std::env::var("ANNALS_REQUIRE_BROWSER").as_deref() == Ok("1") => panic!(
                "ANNALS_REQUIRE_BROWSER=1 but chromium or chromedriver is missing \
                 (apt-get install chromium chromium-driver)"
            ),
            _ => {
                eprintln!(
                    "\n\
                     ************************************************************************\n\
                     SKIPPED: browser tests need chromium and chromedriver (apt-get install chromium chromium-driver)\n\
                     ************************************************************************\n"
                );
                None
            }
        }
    }
}

/// `/usr/bin/<name>`, or `<name>` found on `PATH`.
fn program(name: &str) -> Option<PathBuf> {
    let usual = Path::new("/usr/bin").join(name);
    if usual.is_file() {
        return Some(usual);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|folder| folder.join(name))
        .find(|candidate| candidate.is_file())
}

/// A chromedriver in its own process group; the whole group (Chromium
/// included) is killed when this is dropped, even if a test panics.
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    fn start(path: &Path) -> Chromedriver {
        let mut child = Command::new(path)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|error| panic!("start {}: {error}", path.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut driver = Chromedriver { child, port: 0 };
        let (sender, ports) = mpsc::channel();
        thread::spawn(move || {
            // Keep reading to the end, so chromedriver never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let port = line
                    .strip_prefix("ChromeDriver was started successfully on port ")
                    .and_then(|rest| rest.trim_end_matches('.').parse::<u16>().ok());
                if let Some(port) = port {
                    let _ = sender.send(port);
                }
            }
        });
        driver.port = ports
            .recv_timeout(super::PATIENCE)
            .expect("chromedriver says which port it listens on");
        driver
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How the browser is opened.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Window width in CSS pixels.
    pub width: u32,
    /// Window height in CSS pixels.
    pub height: u32,
    /// Whether pages see `prefers-color-scheme: dark`.
    pub dark: bool,
    /// Whether pages may run JavaScript.
    pub javascript: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            width: 1280,
            height: 900,
            dark: false,
            javascript: true,
        }
    }
}

/// Opens a headless Chromium with a fresh profile, runs `steps` in it,
/// closes the browser whatever happened, and then fails if a step did.
pub fn with_browser<F, Fut>(tools: &Tools, steps: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Step>,
{
    with_browser_options(tools, Options::default(), steps);
}

/// [`with_browser`] with a window size, colour scheme and JavaScript setting.
pub fn with_browser_options<F, Fut>(tools: &Tools, options: Options, steps: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Step>,
{
    let driver = Chromedriver::start(&tools.chromedriver);
    let profile = TempDir::new().expect("a temp dir for the browser profile");
    // Blink's PreferredColorScheme: 0 is dark, 1 is light. Set either way,
    // so the machine's own setting never leaks into a test.
    let mut blink = format!("preferredColorScheme={}", if options.dark { 0 } else { 1 });
    if !options.javascript {
        blink.push_str(",scriptEnabled=false");
    }
    let chrome_options = json!({
        "binary": tools.chromium,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            // WebDriver scrolls an element into view and clicks at once;
            // smooth scrolling would still be moving it under the pointer.
            "--force-prefers-reduced-motion",
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", options.width, options.height),
            format!("--blink-settings={blink}"),
        ],
        "prefs": { "webkit.webprefs.javascript_enabled": options.javascript },
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_string(), chrome_options);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let outcome = runtime.block_on(async {
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|error| panic!("start a Chromium session: {error}"));
        // `steps` owns a handle; this one closes the session afterwards.
        let outcome = steps(client.clone()).await;
        let closed = client.close().await;
        outcome.and(closed.map_err(|error| format!("close the browser: {error}")))
    });
    drop(driver);
    if let Err(message) = outcome {
        panic!("{message}");
    }
}

/// Polls `check` every 50 ms until it returns `Ok`; after `within`, fails
/// with `what` it waited for and what it last saw.
pub async fn eventually<T>(within: Duration, what: &str, mut check: impl AsyncFnMut() -> Step<T>) -> Step<T> {
    let deadline = Instant::now() + within;
    loop {
        match check().await {
            Ok(value) => return Ok(value),
            Err(last) if Instant::now() >= deadline => {
                return Err(format!("waited {within:?} for {what}; last saw: {last}"));
            }
            Err(_) => tokio::time::sleep(super::POLL_EVERY).await,
        }
    }
}

/// Where browser tests keep their screenshots: `target/screenshots/`.
pub fn screenshots() -> std::path::PathBuf {
    let folder = std::path::Path::new(crate::support::REPO).join("target/screenshots");
    std::fs::create_dir_all(&folder).expect("create target/screenshots");
    folder
}

/// Runs `script` (a function body that `return`s) in the page, its result
/// read as `T` from JSON.
pub async fn js<T: serde::de::DeserializeOwned>(client: &Client, script: &str) -> Step<T> {
    let value = client
        .execute(script, Vec::new())
        .await
        .map_err(|error| format!("run `{script}`: {error}"))?;
    serde_json::from_value(value).map_err(|error| format!("the result of `{script}`: {error}"))
}

/// Clicks the first element `css` selects.
pub async fn click(client: &Client, css: &str) -> Step {
    let element = client
        .find(fantoccini::Locator::Css(css))
        .await
        .map_err(|error| format!("find `{css}`: {error}"))?;
    element.click().await.map_err(|error| format!("click `{css}`: {error}"))
}
