//! The default theme in a real browser: the example site is built with the
//! real binary, served by a plain static file server, and read by headless
//! Chromium — with JavaScript (filters, search, URL state, keyboard, deep
//! links) and without it (every event and every overview link still there).
//! Story mode and the embed have their own tests, in `story`. Screenshots of the index go to `target/screenshots/`.
//!
//! Like `browser`, these tests are skipped loudly without Chromium and
//! chromedriver unless `ANNALS_REQUIRE_BROWSER=1`.

use std::collections::BTreeSet;
use std::fs;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::support::chromium::{
    click, eventually, js, screenshots, with_browser, with_browser_options, Options, Step, Tools,
};
use crate::support::{Served, Site, StaticServer, PATIENCE};

/// How long the page may take to react (scripts, history, messages).
const REACTS_WITHIN: Duration = PATIENCE;

/// The example, built into a temp dir and served.
fn serve_example() -> Served {
    Served::start(Site::example())
}

fn slug(event: &Value) -> String {
    event["slug"].as_str().expect("a slug").to_string()
}

fn slugs<'a>(events: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
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

#[test]
fn without_javascript_every_event_and_every_overview_link_is_there() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let all = slugs(&example.events());
    let options = Options {
        javascript: false,
        ..Options::default()
    };
    with_browser_options(&tools, options, |client| async move {
        client
            .goto(&example.url("/index.html"))
            .await
            .map_err(|error| format!("open the index: {error}"))?;
        let entries = client
            .find_all(Locator::Css(".event-entry"))
            .await
            .map_err(|error| format!("find the events: {error}"))?;
        let mut listed = BTreeSet::new();
        for entry in entries {
            let id = entry.attr("id").await.map_err(|error| format!("an id: {error}"))?;
            let displayed = entry
                .is_displayed()
                .await
                .map_err(|error| format!("displayed: {error}"))?;
            if !displayed {
                return Err(format!("event {id:?} is hidden without JavaScript"));
            }
            listed.extend(id);
        }
        if listed != all {
            return Err(format!("the index lists {listed:?}, events.json has {all:?}"));
        }

        let html_class = client
            .find(Locator::Css("html"))
            .await
            .map_err(|error| format!("the html element: {error}"))?
            .attr("class")
            .await
            .map_err(|error| format!("its class: {error}"))?;
        if html_class.is_some_and(|class| class.split_whitespace().any(|c| c == "js")) {
            return Err("the page ran its script although JavaScript is off".into());
        }
        for control in client
            .find_all(Locator::Css("[data-js-only]"))
            .await
            .map_err(|error| format!("find the script's controls: {error}"))?
        {
            if control
                .is_displayed()
                .await
                .map_err(|error| format!("displayed: {error}"))?
            {
                let html = control.html(false).await.unwrap_or_default();
                return Err(format!("a control that needs JavaScript is shown: {html}"));
            }
        }
        let chips = client
            .find_all(Locator::Css("[data-explore] a.chip[href]"))
            .await
            .map_err(|error| format!("find the filter links: {error}"))?;
        if chips.is_empty() {
            return Err("the filters are not links without JavaScript".into());
        }

        // A mark per event (some hidden inside a counted group), and every
        // mark, groups included, a link to an event on the page.
        let events = client
            .find_all(Locator::Css("svg.overview a.overview-mark[data-slug]"))
            .await
            .map_err(|error| format!("find the overview marks: {error}"))?;
        if events.len() != all.len() {
            return Err(format!("{} overview marks for {} events", events.len(), all.len()));
        }
        let marks = client
            .find_all(Locator::Css("svg.overview a.overview-mark"))
            .await
            .map_err(|error| format!("find the overview marks: {error}"))?;
        for mark in marks {
            let href = mark
                .attr("href")
                .await
                .map_err(|error| format!("a mark's href: {error}"))?
                .unwrap_or_default();
            let Some(id) = href.strip_prefix('#') else {
                return Err(format!("an overview mark links to `{href}`, not to the page"));
            };
            let found = client
                .find_all(Locator::Id(id))
                .await
                .map_err(|error| format!("find #{id}: {error}"))?;
            if found.is_empty() {
                return Err(format!("the overview links to #{id}, which the page does not have"));
            }
        }
        Ok(())
    });
}

/// Screenshots of the index at phone and desktop widths in one colour
/// scheme, after checking the scheme took effect and nothing scrolls sideways.
fn screenshot_index(dark: bool) {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let scheme = if dark { "dark" } else { "light" };
    // The body's background in each scheme (--bg in annals.css).
    let background = if dark { "rgb(21, 24, 27)" } else { "rgb(251, 250, 247)" };
    let options = Options {
        width: 375,
        height: 1400,
        dark,
        javascript: true,
    };
    with_browser_options(&tools, options, |client| async move {
        for (width, height) in [(375, 1400), (1280, 1400), (320, 900)] {
            client
                .set_window_size(width, height)
                .await
                .map_err(|error| format!("resize to {width}: {error}"))?;
            open(&client, &example.url("/index.html")).await?;
            let (inner, scroll, body, dark_query): (u32, u32, String, bool) = js(
                &client,
                "return [innerWidth, document.documentElement.scrollWidth, getComputedStyle(document.body).backgroundColor, \
                 matchMedia('(prefers-color-scheme: dark)').matches];",
            )
            .await?;
            if scroll > inner {
                return Err(format!("at {inner} px the page scrolls sideways to {scroll} px"));
            }
            if body != background || dark_query != dark {
                return Err(format!(
                    "the {scheme} scheme did not apply: background {body}, dark query {dark_query}"
                ));
            }
            if width == 320 {
                continue;
            }
            // The top of the page, then the overview and the first events.
            for (part, scroll) in [("", "window.scrollTo(0, 0)"), ("-timeline", "window.scrollTo(0, document.querySelector('.overview-section').getBoundingClientRect().top + scrollY)")] {
                js::<Value>(&client, &format!("{scroll}; return null;")).await?;
                let png = client.screenshot().await.map_err(|error| format!("screenshot: {error}"))?;
                let path = screenshots().join(format!("index-{width}-{scheme}{part}.png"));
                fs::write(&path, png).map_err(|error| format!("write {}: {error}", path.display()))?;
            }
        }
        Ok(())
    });
}

#[test]
fn screenshots_of_the_index_in_the_light_scheme() {
    screenshot_index(false);
}

#[test]
fn screenshots_of_the_index_in_the_dark_scheme() {
    screenshot_index(true);
}
