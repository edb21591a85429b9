//! Live reload in a real browser: headless Chromium, driven through
//! chromedriver with fantoccini, keeps a page of `annals serve` open while
//! the tests edit the site on disk, and the page must follow by itself.
//!
//! Without Chromium and chromedriver these tests say loudly that they were
//! skipped, unless `ANNALS_REQUIRE_BROWSER=1` (as in CI) makes that a failure
//! (see `support::chromium`).

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::support::chromium::{eventually, with_browser, Step, Tools};
use crate::support::{ServeGuard, Site, EXAMPLE_EVENT_FILE, EXAMPLE_EVENT_PAGE, EXAMPLE_EVENT_TITLE, PATIENCE};

/// How long the page may take to follow a change on disk.
const PAGE_FOLLOWS_WITHIN: Duration = PATIENCE;

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
