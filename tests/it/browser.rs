//! Live reload in a real browser: headless Chromium, driven through
//! chromedriver with fantoccini, keeps a page of `annals serve` open while
//! the tests edit the site on disk, and the page must follow by itself.
//!
//! Without Chromium and chromedriver these tests say loudly that they were
//! skipped, unless `ANNALS_REQUIRE_BROWSER=1` (as in CI) makes that a failure.

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;

use crate::support::{ServeGuard, Site, EXAMPLE_EVENT_FILE, EXAMPLE_EVENT_PAGE, EXAMPLE_EVENT_TITLE};

/// How long the page may take to follow a change on disk.
const PAGE_FOLLOWS_WITHIN: Duration = Duration::from_secs(5);

/// What a browser step returns: a failure is a message.
type Step<T = ()> = Result<T, String>;

/// The programs the browser tests need.
struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Tools {
    /// Finds Chromium and chromedriver, or explains why the tests cannot run:
    /// a panic when `ANNALS_REQUIRE_BROWSER=1`, a banner on stderr otherwise.
    fn find() -> Option<Tools> {
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
            .recv_timeout(Duration::from_secs(10))
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

/// Opens a headless Chromium with a fresh profile, runs `steps` in it,
/// closes the browser whatever happened, and then fails if a step did.
fn with_browser<F, Fut>(tools: &Tools, steps: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Step>,
{
    let driver = Chromedriver::start(&tools.chromedriver);
    let profile = TempDir::new().expect("a temp dir for the browser profile");
    let options = json!({
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
            format!("--user-data-dir={}", profile.path().display()),
            "--window-size=1280,900",
        ],
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_string(), options);
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
async fn eventually<T>(within: Duration, what: &str, mut check: impl AsyncFnMut() -> Step<T>) -> Step<T> {
    let deadline = Instant::now() + within;
    loop {
        match check().await {
            Ok(value) => return Ok(value),
            Err(last) if Instant::now() >= deadline => {
                return Err(format!("waited {within:?} for {what}; last saw: {last}"));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// The text of the page's `h1`, found afresh (the page may have reloaded).
async fn heading(client: &Client) -> Step<String> {
    let h1 = client
        .find(Locator::Css("h1"))
        .await
        .map_err(|error| format!("no h1: {error}"))?;
    h1.text().await.map_err(|error| format!("h1 text: {error}"))
}

/// Waits until the page's `h1` reads `title`.
async fn wait_for_heading(client: &Client, title: &str) -> Step {
    eventually(PAGE_FOLLOWS_WITHIN, &format!("the h1 to read `{title}`"), async || {
        let text = heading(client).await?;
        if text == title {
            Ok(())
        } else {
            Err(format!("h1 `{text}`"))
        }
    })
    .await
}

/// The text of the error overlay, if the page shows one.
async fn overlay_text(client: &Client) -> Step<Option<String>> {
    let found = client
        .find_all(Locator::Css("#annals-error-overlay"))
        .await
        .map_err(|error| format!("look for the overlay: {error}"))?;
    match found.into_iter().next() {
        Some(overlay) => overlay
            .text()
            .await
            .map(Some)
            .map_err(|error| format!("overlay text: {error}")),
        None => Ok(None),
    }
}

#[test]
fn an_open_page_shows_an_edited_title_without_being_reloaded_by_hand() {
    let Some(tools) = Tools::find() else { return };
    let site = Site::example();
    let server = ServeGuard::start(&site);
    with_browser(&tools, |client| async move {
        client
            .goto(&server.url(EXAMPLE_EVENT_PAGE))
            .await
            .map_err(|error| format!("open the event page: {error}"))?;
        let before = heading(&client).await?;
        if before != EXAMPLE_EVENT_TITLE {
            return Err(format!("the page opened with h1 `{before}`"));
        }
        site.replace(
            EXAMPLE_EVENT_FILE,
            EXAMPLE_EVENT_TITLE,
            "A title the open page must follow",
        );
        wait_for_heading(&client, "A title the open page must follow").await
    });
}

#[test]
fn a_broken_edit_shows_the_error_overlay_until_the_fix_reloads_the_page() {
    let Some(tools) = Tools::find() else { return };
    let site = Site::example();
    let server = ServeGuard::start(&site);
    let location = format!("{EXAMPLE_EVENT_FILE}:3:7");
    with_browser(&tools, |client| async move {
        client
            .goto(&server.url(EXAMPLE_EVENT_PAGE))
            .await
            .map_err(|error| format!("open the event page: {error}"))?;
        wait_for_heading(&client, EXAMPLE_EVENT_TITLE).await?;

        let broken = site
            .read(EXAMPLE_EVENT_FILE)
            .replacen(EXAMPLE_EVENT_TITLE, "A title fixed after a bad date", 1)
            .replacen("date: 2013-12-09", "date: 2024-02-30", 1);
        site.write(EXAMPLE_EVENT_FILE, &broken);
        eventually(
            PAGE_FOLLOWS_WITHIN,
            "the error overlay naming the bad date",
            async || match overlay_text(&client).await? {
                Some(text) if text.contains(&location) => Ok(()),
                Some(text) => Err(format!("an overlay without `{location}`: {text}")),
                None => Err("no overlay".to_string()),
            },
        )
        .await?;

        site.replace(EXAMPLE_EVENT_FILE, "date: 2024-02-30", "date: 2013-12-09");
        eventually(PAGE_FOLLOWS_WITHIN, "the fixed page without the overlay", async || {
            let overlay = overlay_text(&client).await?;
            let text = heading(&client).await?;
            match overlay {
                None if text == "A title fixed after a bad date" => Ok(()),
                _ => Err(format!("overlay {overlay:?}, h1 `{text}`")),
            }
        })
        .await
    });
}
