//! The default theme in a real browser: the example site is built with the
//! real binary, served by a plain static file server, and read by headless
//! Chromium — with JavaScript (filters, search, URL state, keyboard, deep
//! links) and without it (every event and every overview link still there).
//! Story mode and the embed have their own tests, in `story`; the page
//! without JavaScript and the screenshots of the index, in `theme_static`.
//!
//! Like `browser`, these tests are skipped loudly without Chromium and
//! chromedriver unless `ANNALS_REQUIRE_BROWSER=1`.

use std::collections::BTreeSet;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::support::chromium::{click, eventually, js, with_browser, Step, Tools};
use crate::support::{Served, Site, StaticServer, PATIENCE};

/// How long the page may take to react (scripts, history, messages).
const REACTS_WITHIN: Duration = PATIENCE;

/// The example, built into a temp dir and served.
pub(crate) fn serve_example() -> Served {
    Served::start(Site::example())
}

fn slug(event: &Value) -> String {
    event["slug"].as_str().expect("a slug").to_string()
}

pub(crate) fn slugs<'a>(events: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    events.into_iter().map(slug).collect()
}

fn has_tag(event: &Value, tag: &str) -> bool {
    event["tags"]
        .as_array()
        .is_some_and(|tags| tags.iter().any(|t| t["slug"] == tag))
}

/// The ids of the events the timeline shows.
async fn shown(client: &Client) -> Step<BTreeSet<String>> {
    js(
        client,
        "return [...document.querySelectorAll('.event-entry')].filter(e => e.offsetParent !== null).map(e => e.id);",
    )
    .await
}

/// The query string of the page's address.
async fn query(client: &Client) -> Step<String> {
    let url = client
        .current_url()
        .await
        .map_err(|error| format!("current url: {error}"))?;
    Ok(url.query().unwrap_or_default().to_string())
}

/// Opens `url` and waits until the script has set up the filters.
pub(crate) async fn open(client: &Client, url: &str) -> Step {
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

/// Waits until the timeline shows exactly `expected`.
async fn wait_for_shown(client: &Client, expected: &BTreeSet<String>, what: &str) -> Step {
    eventually(REACTS_WITHIN, what, async || {
        let now = shown(client).await?;
        if &now == expected {
            Ok(())
        } else {
            Err(format!("{now:?}, expected {expected:?}"))
        }
    })
    .await
}

/// Presses and releases one key, sent to whatever has focus.
async fn press(client: &Client, key: char) -> Step {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client
        .perform_actions(keys)
        .await
        .map_err(|error| format!("press `{key}`: {error}"))
}

/// The id of the event that holds the focus, if any.
async fn focused_event(client: &Client) -> Step<Option<String>> {
    js(
        client,
        "const entry = document.activeElement && document.activeElement.closest('.event-entry'); return entry ? entry.id : null;",
    )
    .await
}

#[test]
fn filters_and_search_narrow_the_timeline_and_clearing_restores_it() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let events = example.events();
    let all = slugs(&events);
    let research: Vec<&Value> = events.iter().filter(|e| e["track"]["id"] == "research").collect();
    // The search reads the whole text: title, summary, body, tags, sources.
    let lenet: BTreeSet<String> = research
        .iter()
        .filter(|e| {
            let mut text = format!(
                "{} {} {} {}",
                e["title"], e["summary_text"], e["body_html"], e["track"]["title"]
            );
            for tag in e["tags"].as_array().into_iter().flatten() {
                text.push_str(&tag["name"].to_string());
            }
            for source in e["sources"].as_array().into_iter().flatten() {
                text.push_str(&format!(" {} {}", source["title"], source["publisher"]));
            }
            text.to_lowercase().contains("lenet")
        })
        .map(|e| slug(e))
        .collect();
    assert!(
        !lenet.is_empty() && lenet.len() < research.len(),
        "the example has research events about LeNet"
    );
    with_browser(&tools, |client| async move {
        open(&client, &example.url("/index.html")).await?;
        wait_for_shown(&client, &all, "every event at first").await?;

        click(&client, "button.chip[data-filter='track'][data-value='research']").await?;
        wait_for_shown(&client, &slugs(research.iter().copied()), "only the research track").await?;
        let status: String = js(&client, "return document.querySelector('[data-status]').textContent;").await?;
        let counted = format!("{} of {}", research.len(), all.len());
        if !status.contains(&counted) {
            return Err(format!("the live region says `{status}`, not `{counted}`"));
        }
        if query(&client).await? != "track=research" {
            return Err(format!("the address holds `{}`", query(&client).await?));
        }

        let search = client
            .find(Locator::Css("#timeline-search"))
            .await
            .map_err(|error| format!("the search box: {error}"))?;
        search
            .send_keys("LeNet")
            .await
            .map_err(|error| format!("type: {error}"))?;
        eventually(REACTS_WITHIN, "research events about LeNet, listed as results", async || {
            let listed: BTreeSet<String> = js(
                &client,
                "return [...document.querySelectorAll('[data-results]:not([hidden]) .search-result')].map(r => r.getAttribute('data-slug'));",
            )
            .await?;
            if listed == lenet {
                Ok(())
            } else {
                Err(format!("{listed:?}, expected {lenet:?}"))
            }
        })
        .await?;
        eventually(REACTS_WITHIN, "the search in the address", async || {
            let now = query(&client).await?;
            if now.contains("q=LeNet") && now.contains("track=research") {
                Ok(())
            } else {
                Err(now)
            }
        })
        .await?;

        click(&client, "[data-explore] button[data-clear]").await?;
        wait_for_shown(&client, &all, "every event again after clearing").await?;
        let cleared = query(&client).await?;
        if !cleared.is_empty() {
            return Err(format!("the address still holds `{cleared}`"));
        }
        Ok(())
    });
}

#[test]
fn filters_in_the_address_survive_a_reload_and_follow_back_and_forward() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let events = example.events();
    // A tag whose events are not all key moments, so "highlights" matters.
    let tag = events
        .iter()
        .flat_map(|e| e["tags"].as_array().into_iter().flatten())
        .map(|t| t["slug"].as_str().expect("a tag slug").to_string())
        .find(|tag| {
            let tagged: Vec<&Value> = events.iter().filter(|e| has_tag(e, tag)).collect();
            let key = tagged.iter().filter(|e| e["importance"].as_i64() >= Some(4)).count();
            key > 0 && key < tagged.len() && tagged.iter().any(|e| e["track"]["id"] == "career")
        })
        .expect("the example has a tag with key moments and other events");
    let key_moments: Vec<&Value> = events
        .iter()
        .filter(|e| has_tag(e, &tag) && e["importance"].as_i64() >= Some(4))
        .collect();
    let expected = slugs(key_moments.iter().copied());
    let career = slugs(key_moments.iter().copied().filter(|e| e["track"]["id"] == "career"));
    with_browser(&tools, |client| async move {
        open(&client, &example.url(&format!("/index.html?tag={tag}&highlights=1"))).await?;
        wait_for_shown(&client, &expected, "key moments of the tag from the address").await?;
        let restored: (bool, String) = js(
            &client,
            &format!(
                "return [document.querySelector('#timeline-highlights').checked, \
                 document.querySelector(\"button.chip[data-filter='tag'][data-value='{tag}']\").getAttribute('aria-pressed')];"
            ),
        )
        .await?;
        if restored != (true, "true".to_string()) {
            return Err(format!("the controls show (highlights, tag pressed) = {restored:?}"));
        }

        client.refresh().await.map_err(|error| format!("reload: {error}"))?;
        wait_for_shown(&client, &expected, "the same events after a reload").await?;

        click(&client, "button.chip[data-filter='track'][data-value='career']").await?;
        wait_for_shown(&client, &career, "the career key moments").await?;
        client.back().await.map_err(|error| format!("back: {error}"))?;
        wait_for_shown(&client, &expected, "the tag's key moments after going back").await?;
        client.forward().await.map_err(|error| format!("forward: {error}"))?;
        wait_for_shown(&client, &career, "the career key moments after going forward").await
    });
}

/// The path, query and fragment of the page's address.
async fn address(client: &Client) -> Step<(String, String, String)> {
    let url = client
        .current_url()
        .await
        .map_err(|error| format!("current url: {error}"))?;
    Ok((
        url.path().to_string(),
        url.query().unwrap_or_default().to_string(),
        url.fragment().unwrap_or_default().to_string(),
    ))
}

/// Waits until the address has `path` and `fragment`, and a query holding
/// every one of `params`.
async fn wait_for_address(client: &Client, path: &str, params: &[&str], fragment: &str) -> Step {
    eventually(
        REACTS_WITHIN,
        &format!("the address {path}?{params:?}#{fragment}"),
        async || {
            let (now_path, query, now_fragment) = address(client).await?;
            if now_path == path
                && now_fragment == fragment
                && params.iter().all(|param| query.split('&').any(|p| p == *param))
            {
                Ok(())
            } else {
                Err(format!("{now_path}?{query}#{now_fragment}"))
            }
        },
    )
    .await
}

#[test]
fn the_language_switch_keeps_the_event_the_filters_the_search_and_the_fragment() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    with_browser(&tools, |client| async move {
        // An event page leads to the same event in the other language.
        let page = example.url("/events/fair-founded/index.html#sources-title");
        client
            .goto(&page)
            .await
            .map_err(|error| format!("open {page}: {error}"))?;
        click(&client, ".lang-nav a[hreflang='zh-Hans']").await?;
        wait_for_address(&client, "/zh/events/fair-founded/index.html", &[], "sources-title").await?;

        // On the timeline, what the reader chose after the page loaded goes
        // along: a track, a search and the event in the address.
        open(&client, &example.url("/index.html#lenet-5")).await?;
        click(&client, "button.chip[data-filter='track'][data-value='research']").await?;
        let search = client
            .find(Locator::Css("#timeline-search"))
            .await
            .map_err(|error| format!("the search box: {error}"))?;
        search
            .send_keys("LeNet")
            .await
            .map_err(|error| format!("type: {error}"))?;
        let chosen = ["track=research", "q=LeNet"];
        wait_for_address(&client, "/index.html", &chosen, "lenet-5").await?;
        click(&client, ".lang-nav a[hreflang='zh-Hans']").await?;
        wait_for_address(&client, "/zh/index.html", &chosen, "lenet-5").await?;

        // The Chinese timeline opens in that state: the search's results
        // are the research events that match.
        eventually(
            REACTS_WITHIN,
            "the Chinese timeline with the same filters",
            async || {
                let (query, pressed, shown): (String, String, Vec<String>) = js(
                    &client,
                    "return [document.querySelector('#timeline-search').value, \
                 document.querySelector(\"button.chip[data-value='research']\").getAttribute('aria-pressed'), \
                 [...document.querySelectorAll('[data-results]:not([hidden]) .search-result')].map(r => r.dataset.slug)];",
                )
                .await?;
                if query == "LeNet" && pressed == "true" && shown == ["lenet-5"] {
                    Ok(())
                } else {
                    Err(format!("search `{query}`, research pressed {pressed}, shown {shown:?}"))
                }
            },
        )
        .await?;

        // And back: the English link carries them too.
        click(&client, ".lang-nav a[hreflang='en']").await?;
        wait_for_address(&client, "/index.html", &chosen, "lenet-5").await
    });
}

#[test]
fn the_live_count_agrees_with_one_event_and_groups_digits_in_the_pages_language() {
    let Some(tools) = Tools::find() else { return };
    let site = Site::empty();
    site.write("site.yaml", "title: One\nlanguages: [en, fr]\n");
    site.write(
        "content/events/only.md",
        "---\ntitle: The only event\ndate: 2001\nsources: [https://example.org/]\n---\nText.\n",
    );
    site.build().success();
    let server = StaticServer::start(&site.out());
    with_browser(&tools, |client| async move {
        for (page, all, filtered, ten_thousand) in [
            ("/index.html", "1 event shown", "0 of 1 event shown", "10,000"),
            (
                "/fr/index.html",
                "1 événement affiché",
                "Événements affichés : 0 sur 1",
                "10\u{202f}000",
            ),
        ] {
            open(&client, &server.url(page)).await?;
            let status: String = js(&client, "return document.querySelector('[data-status]').textContent;").await?;
            if status != all {
                return Err(format!("{page}: the live count says `{status}`, not `{all}`"));
            }
            let search = client
                .find(Locator::Css("#timeline-search"))
                .await
                .map_err(|error| format!("the search box: {error}"))?;
            search
                .send_keys("nothing")
                .await
                .map_err(|error| format!("type: {error}"))?;
            eventually(REACTS_WITHIN, "the count of a search that finds nothing", async || {
                let status: String = js(&client, "return document.querySelector('[data-status]').textContent;").await?;
                if status == filtered {
                    Ok(())
                } else {
                    Err(status)
                }
            })
            .await?;
            let grouped: String = js(&client, "return window.annals.number(10000);").await?;
            if grouped != ten_thousand {
                return Err(format!("{page}: 10000 is written `{grouped}`"));
            }
        }
        Ok(())
    });
}

#[test]
fn j_and_k_move_the_focus_between_events_but_not_while_typing() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let order: Vec<String> = example.events().iter().map(slug).collect();
    with_browser(&tools, |client| async move {
        open(&client, &example.url("/index.html")).await?;
        for (key, expected) in [('j', &order[0]), ('j', &order[1]), ('j', &order[2]), ('k', &order[1])] {
            press(&client, key).await?;
            eventually(
                REACTS_WITHIN,
                &format!("`{key}` to focus `{expected}`"),
                async || match focused_event(&client).await? {
                    Some(id) if &id == expected => Ok(()),
                    other => Err(format!("focus in {other:?}")),
                },
            )
            .await?;
        }
        // Inside the list the arrow keys work too.
        client
            .perform_actions(
                KeyActions::new("keyboard".into())
                    .then(KeyAction::Down { value: '\u{E015}' })
                    .then(KeyAction::Up { value: '\u{E015}' }),
            )
            .await
            .map_err(|error| format!("press ArrowDown: {error}"))?;
        eventually(
            REACTS_WITHIN,
            "ArrowDown to focus the next event",
            async || match focused_event(&client).await? {
                Some(id) if id == order[2] => Ok(()),
                other => Err(format!("focus in {other:?}")),
            },
        )
        .await?;

        let search = client
            .find(Locator::Css("#timeline-search"))
            .await
            .map_err(|error| format!("the search box: {error}"))?;
        search
            .click()
            .await
            .map_err(|error| format!("focus the search box: {error}"))?;
        search.send_keys("jk").await.map_err(|error| format!("type: {error}"))?;
        let (value, still_there): (String, bool) = js(
            &client,
            "const box = document.querySelector('#timeline-search'); return [box.value, document.activeElement === box];",
        )
        .await?;
        if value != "jk" || !still_there {
            return Err(format!(
                "typing `jk` left the box with `{value}`, focused: {still_there}"
            ));
        }
        Ok(())
    });
}

#[test]
fn a_deep_link_highlights_its_event_on_first_load_even_when_filtered_out() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let events = example.events();
    let target = events
        .iter()
        .find(|e| e["track"]["id"] != "research" && e["importance"].as_i64() >= Some(4))
        .map(slug)
        .expect("a key moment outside the research track");
    with_browser(&tools, |client| async move {
        for address in [
            format!("/index.html#{target}"),
            format!("/index.html?track=research#{target}"),
        ] {
            client
                .goto(&example.url(&address))
                .await
                .map_err(|error| format!("open {address}: {error}"))?;
            eventually(
                REACTS_WITHIN,
                &format!("{address} to show and highlight `{target}`"),
                async || {
                    let (highlighted, targeted, top, height): (bool, bool, f64, f64) = js(
                        &client,
                        &format!(
                            "const entry = document.getElementById('{target}'); \
                         return [entry.classList.contains('is-targeted'), entry.matches(':target'), \
                         entry.getBoundingClientRect().top, innerHeight];"
                        ),
                    )
                    .await?;
                    if highlighted && targeted && (0.0..height).contains(&top) {
                        Ok(())
                    } else {
                        Err(format!(
                            "highlighted {highlighted}, :target {targeted}, top {top} of {height}"
                        ))
                    }
                },
            )
            .await?;
        }
        Ok(())
    });
}
