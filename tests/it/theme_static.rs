//! The default theme's pages as they stand: the example's index read by
//! headless Chromium without JavaScript (every event and every overview
//! link still there, no control that needs the script shown), and
//! screenshots of it at a phone's and a desktop's width in both colour
//! schemes, to `target/screenshots/`.
//!
//! Like `theme`, these tests are skipped loudly without Chromium and
//! chromedriver unless `ANNALS_REQUIRE_BROWSER=1`.

use std::collections::BTreeSet;
use std::fs;

use fantoccini::Locator;
use serde_json::Value;

use crate::support::chromium::{js, screenshots, with_browser_options, Options, Tools};
use crate::theme::{open, serve_example, slugs};

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
