//! Search in a real browser: headless Chromium reads a generated site of
//! [`EVENTS`] events (a split timeline) and the example, served as files.
//! Nothing is fetched for search before the reader types; a word found only
//! in one event's body finds it, first, with the word marked in an
//! excerpt; the query lives in the address and survives a reload; a
//! Chinese word from a Chinese body is found on the example's `zh/` pages;
//! and what the first query downloads, gzipped as a web host sends it,
//! stays within the budget (300 KB at 10,000 events). `tools/search-compare/`
//! compares it with Pagefind's.
//!
//! Skipped loudly without Chromium and chromedriver unless
//! `ANNALS_REQUIRE_BROWSER=1`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::support::chromium::{eventually, js, with_browser, Step, Tools};
use crate::support::{corpus, Served, Site, PATIENCE};

/// Events in the generated site: as many as the budget is set for
/// (and a split timeline: the index lists parts, so every result comes
/// from the index).
const EVENTS: usize = 10_000;
/// What the first query may download at 10,000 events, gzipped: the
/// script, the manifest, the chunks of the query's terms and a page of
/// results together.
const BUDGET_AT_10K: usize = 300 * 1024;
/// A word that only the marked event's body holds.
const BODY_WORD: &str = "quixotically";
/// The marked event's slug.
const MARKED: &str = "marked-event";

/// How long the page may take to react.
const REACTS_WITHIN: Duration = PATIENCE;

/// The generated site, with one more event whose body alone holds
/// [`BODY_WORD`].
fn generated() -> Served {
    let site = Site::empty();
    corpus::generate(&site.root, EVENTS, 42);
    site.write(
        "content/events/1950-05-05-marked-event.md",
        &format!(
            "---\ntitle: A plain title\ndate: 1950-05-05\ntrack: research\ntags: [tag-1]\n---\n\
             The first paragraph says little.\n\nLater the team worked {BODY_WORD} on a robot.\n"
        ),
    );
    Served::start(site)
}

/// Opens `url` and waits until the script has set up the filters.
async fn open(client: &Client, url: &str) -> Step {
    client.goto(url).await.map_err(|error| format!("open {url}: {error}"))?;
    eventually(REACTS_WITHIN, "the filters to be ready", async || {
        let status: String = js(client, "return document.querySelector('[data-status]').textContent;").await?;
        if status.is_empty() {
            Err("an empty status".into())
        } else {
            Ok(())
        }
    })
    .await
}

/// The paths (under the site) of every resource the page fetched so far.
async fn fetched(client: &Client) -> Step<Vec<String>> {
    js(
        client,
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);",
    )
    .await
}

/// Types `text` into the search box.
async fn type_query(client: &Client, text: &str) -> Step {
    let search = client
        .find(Locator::Css("#timeline-search"))
        .await
        .map_err(|error| format!("the search box: {error}"))?;
    search
        .clear()
        .await
        .map_err(|error| format!("clear the search box: {error}"))?;
    search
        .send_keys(text)
        .await
        .map_err(|error| format!("type `{text}`: {error}"))
}

/// The results listed, in order: (slug, the marked words of the result).
async fn results(client: &Client) -> Step<Vec<(String, Vec<String>)>> {
    js(
        client,
        "const list = document.querySelector('[data-results]:not([hidden]) .search-results'); \
         return list ? [...list.querySelectorAll('.search-result')].map(r => \
           [r.getAttribute('data-slug'), [...r.querySelectorAll('mark')].map(m => m.textContent)]) : [];",
    )
    .await
}

/// Waits until the first result is `slug`, and returns the results.
async fn wait_for_first(client: &Client, slug: &str, what: &str) -> Step<Vec<(String, Vec<String>)>> {
    eventually(REACTS_WITHIN, what, async || {
        let now = results(client).await?;
        match now.first() {
            Some((first, _)) if first == slug => Ok(now),
            _ => Err(format!("{now:?}")),
        }
    })
    .await
}

/// What the files at `paths` weigh gzipped (`gzip -6`, as web hosts send
/// text); the paths are the site's, under `out`.
fn gzipped(out: &Path, paths: &[String]) -> usize {
    paths
        .iter()
        .map(|path| {
            let file = out.join(path.trim_start_matches('/'));
            let file = if file.is_dir() { file.join("index.html") } else { file };
            let zipped = Command::new("gzip")
                .args(["-6", "-c"])
                .arg(&file)
                .output()
                .unwrap_or_else(|error| panic!("gzip {}: {error}", file.display()));
            assert!(zipped.status.success(), "gzip {}", file.display());
            zipped.stdout.len()
        })
        .sum()
}

/// Whether a path belongs to search (its script or its index).
fn for_search(path: &str) -> bool {
    path.contains("/search/") || path.contains("/search.") || path.ends_with("events.json")
}

#[test]
fn a_body_word_is_found_first_and_marked_and_the_query_survives_a_reload_within_the_download_budget() {
    let Some(tools) = Tools::find() else { return };
    let site = generated();
    let budget = BUDGET_AT_10K;
    with_browser(&tools, |client| async move {
        open(&client, &site.url("/index.html")).await?;
        let before = fetched(&client).await?;
        if let Some(early) = before.iter().find(|path| for_search(path)) {
            return Err(format!("`{early}` was fetched before the reader searched"));
        }

        // The heaviest kind of first query: a word nearly every event holds.
        type_query(&client, "network").await?;
        eventually(REACTS_WITHIN, "results for a common word", async || {
            let now = results(&client).await?;
            if now.len() >= 20 {
                Ok(())
            } else {
                Err(format!("{} results", now.len()))
            }
        })
        .await?;
        let first: Vec<String> = fetched(&client).await?.split_off(before.len());
        let first_bytes = gzipped(&site.out, &first);
        if first_bytes > budget {
            return Err(format!(
                "the first query downloaded {first_bytes} bytes gzipped (budget {budget}): {first:?}"
            ));
        }

        type_query(&client, BODY_WORD).await?;
        let found = wait_for_first(&client, MARKED, "the event whose body holds the word").await?;
        let marked = &found[0].1;
        if !marked.iter().any(|word| word.eq_ignore_ascii_case(BODY_WORD)) {
            return Err(format!("the excerpt marks {marked:?}, not `{BODY_WORD}`"));
        }
        let url = client
            .current_url()
            .await
            .map_err(|error| format!("current url: {error}"))?;
        if url.query() != Some(&format!("q={BODY_WORD}")) {
            return Err(format!("the address is {url}"));
        }

        client.refresh().await.map_err(|error| format!("reload: {error}"))?;
        wait_for_first(&client, MARKED, "the same result after a reload").await?;
        let value: String = js(&client, "return document.querySelector('#timeline-search').value;").await?;
        if value != BODY_WORD {
            return Err(format!("the search box holds `{value}` after a reload"));
        }
        eprintln!(
            "search at {EVENTS} events: the first query downloaded {first_bytes} bytes gzipped (budget {budget})"
        );
        Ok(())
    });
}

#[test]
fn prefixes_and_small_typos_find_the_word_and_the_filters_still_apply() {
    let Some(tools) = Tools::find() else { return };
    let site = generated();
    with_browser(&tools, |client| async move {
        open(&client, &site.url("/index.html")).await?;
        type_query(&client, "quixotic").await?;
        wait_for_first(&client, MARKED, "the event, from a prefix").await?;
        type_query(&client, "quixoticaly").await?;
        wait_for_first(&client, MARKED, "the event, despite a typo").await?;

        // Its track keeps it; another track leaves nothing.
        open(&client, &site.url(&format!("/index.html?track=research&q={BODY_WORD}"))).await?;
        wait_for_first(&client, MARKED, "the event within its track").await?;
        open(&client, &site.url(&format!("/index.html?track=policy&q={BODY_WORD}"))).await?;
        eventually(REACTS_WITHIN, "no result in another track", async || {
            let status: String = js(&client, "return document.querySelector('[data-status]').textContent;").await?;
            let now = results(&client).await?;
            if now.is_empty() && status.starts_with('0') {
                Ok(())
            } else {
                Err(format!("{now:?}, status `{status}`"))
            }
        })
        .await
    });
}

#[test]
fn a_chinese_word_from_a_chinese_body_is_found_on_the_chinese_pages() {
    let Some(tools) = Tools::find() else { return };
    let example = Served::start(Site::example());
    // In the body of the Chinese Bell Labs event only, not its title.
    let word = "滤波器";
    with_browser(&tools, |client| async move {
        open(&client, &example.url("/zh/index.html")).await?;
        type_query(&client, word).await?;
        let found = wait_for_first(&client, "bell-labs", "the Bell Labs event").await?;
        if !found[0].1.iter().any(|marked| marked == word) {
            return Err(format!("the excerpt marks {:?}, not `{word}`", found[0].1));
        }
        let fetched = fetched(&client).await?;
        if !fetched.iter().any(|path| path.starts_with("/zh/search/")) {
            return Err(format!("the Chinese index was not read: {fetched:?}"));
        }
        Ok(())
    });
}
