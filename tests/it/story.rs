//! The whole story in place, in a real browser: story mode (one event at a
//! time: keys, position, address, history, focus). The full text folded in
//! each entry and the embed are in `story_embed`. Screenshots of story mode
//! go to `target/screenshots/`.
//!
//! Like `theme`, these tests are skipped loudly without Chromium and
//! chromedriver unless `ANNALS_REQUIRE_BROWSER=1`.

use std::fs;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions, PointerAction, TouchActions};
use fantoccini::Client;
use serde_json::Value;

use crate::support::chromium::{
    click, eventually, js, screenshots, with_browser, with_browser_options, Options, Step, Tools,
};
use crate::support::{Served, Site, PATIENCE};

/// How long the page may take to react (scripts, history).
pub(crate) const REACTS_WITHIN: Duration = PATIENCE;

/// A news article that embeds the timeline in a frame of the given size.
fn embedding_page(width: u32, height: u32) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><meta charset="utf-8"><title>An article with a timeline</title>
<style>body {{ margin: 0; }}</style>
<p>Text of the article.</p>
<iframe id="timeline" src="embed/index.html" title="Timeline" style="display: block; width: {width}px; height: {height}px; border: 0"></iframe>
<p>More text of the article.</p>
"#
    )
}

/// The example with a picture on its first event (the example has none),
/// built into a temp dir and served, with two pages that embed it.
pub(crate) fn serve_example() -> Served {
    let site = Site::example();
    site.write(
        "content/media/next-cube.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360"><rect width="640" height="360" fill="#444"/><rect x="220" y="80" width="200" height="200" fill="#111"/></svg>"##,
    );
    site.replace(
        "content/events/parallels/steve-jobs.yaml",
        "    slug: next-founded\n",
        "    slug: next-founded\n    media:\n      src: media/next-cube.svg\n      alt: A black cube on a grey ground\n      caption: The NeXT Computer.\n      credit: Drawn for the test\n",
    );
    let example = Served::start(site);
    let out = &example.out;
    fs::write(out.join("embed-640.html"), embedding_page(640, 480)).expect("write an embedding page");
    fs::write(out.join("embed-320.html"), embedding_page(320, 480)).expect("write an embedding page");
    example
}

/// The slugs of the example's events, in timeline order.
pub(crate) fn slugs(example: &Served) -> Vec<String> {
    example
        .events()
        .iter()
        .map(|event| event["slug"].as_str().expect("a slug").to_string())
        .collect()
}

/// A finger drawn sideways across the window at mid-height, from `from` to
/// `to` (x in CSS pixels).
async fn swipe(client: &Client, from: f64, to: f64) -> Step {
    let finger = TouchActions::new("finger".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x: from,
            y: 450.0,
        })
        .then(PointerAction::Down { button: 0 })
        .then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(150)),
            x: to,
            y: 455.0,
        })
        .then(PointerAction::Up { button: 0 });
    client
        .perform_actions(finger)
        .await
        .map_err(|error| format!("swipe from {from} to {to}: {error}"))
}

/// Presses and releases one key, sent to whatever has focus.
async fn press(client: &Client, key: char) -> Step {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client
        .perform_actions(keys)
        .await
        .map_err(|error| format!("press {key:?}: {error}"))
}

const ARROW_LEFT: char = '\u{E012}';
const ARROW_RIGHT: char = '\u{E014}';
const ESCAPE: char = '\u{E00C}';

/// What story mode shows: whether it is open, the position, the slug in the
/// address, the title of the event shown and what the live region says.
#[derive(Debug, serde::Deserialize, PartialEq)]
struct Story {
    open: bool,
    position: String,
    hash: String,
    title: String,
    spoken: String,
}

const STORY: &str = "const panel = document.querySelector('[data-story]'); \
     const title = panel.querySelector('#story-title'); \
     return { open: !panel.hidden, position: panel.querySelector('[data-story-count]').textContent, \
     hash: decodeURIComponent(location.hash.slice(1)), title: title ? title.textContent.trim() : '', \
     spoken: panel.querySelector('[aria-live]').textContent };";

/// Waits until story mode shows `slug` at `position` ("2 / 21"), with the
/// address and the live region saying so.
async fn wait_for_step(client: &Client, slug: &str, position: &str, what: &str) -> Step<Story> {
    eventually(REACTS_WITHIN, what, async || {
        let story: Story = js(client, STORY).await?;
        let titled = !story.title.is_empty() && story.spoken.contains(&story.title);
        if story.open && story.position == position && story.hash == slug && titled {
            Ok(story)
        } else {
            Err(format!("{story:?}"))
        }
    })
    .await
}

#[test]
fn story_mode_steps_with_the_arrow_keys_names_each_step_in_the_address_and_follows_history() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let slugs = slugs(&example);
    let total = slugs.len();
    let at = |n: usize| format!("{n} / {total}");
    with_browser(&tools, |client| async move {
        let url = example.url("/index.html");
        client
            .goto(&url)
            .await
            .map_err(|error| format!("open {url}: {error}"))?;
        eventually(REACTS_WITHIN, "the story button to show", async || {
            let shown: bool = js(
                &client,
                "const b = document.querySelector('[data-story-open]'); return b.offsetParent !== null;",
            )
            .await?;
            if shown {
                Ok(())
            } else {
                Err("hidden".into())
            }
        })
        .await?;
        click(&client, "[data-story-open]").await?;
        wait_for_step(&client, &slugs[0], &at(1), "story mode at the first event").await?;
        // The focus is on the event's title, inside the panel; the page behind is inert.
        let (focus, inert): (String, bool) = js(
            &client,
            "return [document.activeElement.id, document.querySelector('main').inert];",
        )
        .await?;
        if focus != "story-title" || !inert {
            return Err(format!("focus on #{focus}, the page behind inert: {inert}"));
        }

        press(&client, ARROW_RIGHT).await?;
        wait_for_step(&client, &slugs[1], &at(2), "→ to show the second event").await?;
        press(&client, ARROW_RIGHT).await?;
        wait_for_step(&client, &slugs[2], &at(3), "→ to show the third event").await?;
        press(&client, ARROW_LEFT).await?;
        wait_for_step(&client, &slugs[1], &at(2), "← to show the second event again").await?;
        // The focus followed the title from slide to slide.
        let focus: String = js(&client, "return document.activeElement.id;").await?;
        if focus != "story-title" {
            return Err(format!("after stepping, the focus is on #{focus}"));
        }

        client.back().await.map_err(|error| format!("back: {error}"))?;
        wait_for_step(&client, &slugs[2], &at(3), "back to return to the third event").await?;
        client.back().await.map_err(|error| format!("back: {error}"))?;
        wait_for_step(&client, &slugs[1], &at(2), "back again to return to the second").await?;
        client.forward().await.map_err(|error| format!("forward: {error}"))?;
        wait_for_step(&client, &slugs[2], &at(3), "forward to the third event").await?;

        // The buttons name where they lead.
        let (previous, next): (String, String) = js(
            &client,
            "return [...document.querySelectorAll('[data-story-step]')].map(b => b.textContent.replace(/\\s+/g, ' ').trim());",
        )
        .await
        .map(|names: Vec<String>| (names[0].clone(), names[1].clone()))?;
        let title = |slug: &str| -> String {
            let event = example.events().into_iter().find(|event| event["slug"] == slug);
            event
                .map(|event| event["title"].as_str().unwrap_or_default().to_string())
                .unwrap_or_default()
        };
        if !previous.contains(&title(&slugs[1])) || !next.contains(&title(&slugs[3])) {
            return Err(format!("the step buttons read `{previous}` and `{next}`"));
        }
        click(&client, "[data-story-step='1']").await?;
        wait_for_step(&client, &slugs[3], &at(4), "Next to show the fourth event").await?;
        // On a touch screen, a swipe to the left goes on, one to the right goes back.
        swipe(&client, 900.0, 400.0).await?;
        wait_for_step(&client, &slugs[4], &at(5), "a swipe left to show the fifth event").await?;
        swipe(&client, 400.0, 900.0).await?;
        wait_for_step(&client, &slugs[3], &at(4), "a swipe right to show the fourth again").await?;

        // A reload stays in story mode, at the same event.
        client.refresh().await.map_err(|error| format!("reload: {error}"))?;
        wait_for_step(&client, &slugs[3], &at(4), "the same step after a reload").await?;

        // Escape goes back to the list, at that event, focused.
        press(&client, ESCAPE).await?;
        eventually(REACTS_WITHIN, "the list at the fourth event", async || {
            let (open, hash, focused, inert): (bool, String, Option<String>, bool) = js(
                &client,
                "const entry = document.activeElement && document.activeElement.closest('.event-entry'); \
                 return [!document.querySelector('[data-story]').hidden, decodeURIComponent(location.hash.slice(1)), \
                 entry ? entry.id : null, document.querySelector('main').inert];",
            )
            .await?;
            if !open && hash == slugs[3] && focused.as_deref() == Some(slugs[3].as_str()) && !inert {
                Ok(())
            } else {
                Err(format!(
                    "open {open}, #{hash}, focus in {focused:?}, main inert {inert}"
                ))
            }
        })
        .await?;
        // And back returns to the story.
        client.back().await.map_err(|error| format!("back: {error}"))?;
        wait_for_step(&client, &slugs[3], &at(4), "back to reopen the story").await?;
        Ok(())
    });
}

#[test]
fn story_mode_shows_an_events_full_text_and_media_and_steps_through_the_filtered_events() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let events = example.events();
    let research: Vec<String> = events
        .iter()
        .filter(|event| event["track"]["id"] == "research")
        .map(|event| event["slug"].as_str().expect("a slug").to_string())
        .collect();
    with_browser(&tools, |client| async move {
        let url = example.url("/index.html?track=research");
        client
            .goto(&url)
            .await
            .map_err(|error| format!("open {url}: {error}"))?;
        eventually(REACTS_WITHIN, "the filters and the story button", async || {
            let ready: bool = js(
                &client,
                "return document.querySelector('[data-status]').textContent !== '' && \
                 document.querySelector('[data-story-open]').offsetParent !== null;",
            )
            .await?;
            if ready {
                Ok(())
            } else {
                Err("not yet".into())
            }
        })
        .await?;
        click(&client, "[data-story-open]").await?;
        let last = format!("{} / {}", research.len(), research.len());
        wait_for_step(
            &client,
            &research[0],
            &format!("1 / {}", research.len()),
            "the first research event",
        )
        .await?;
        for _ in 1..research.len() {
            press(&client, ARROW_RIGHT).await?;
        }
        wait_for_step(&client, &research[research.len() - 1], &last, "the last research event").await?;
        press(&client, ARROW_RIGHT).await?;
        wait_for_step(&client, &research[research.len() - 1], &last, "→ to stay at the last").await?;
        let next_disabled: String = js(
            &client,
            "return document.querySelector(\"[data-story-step='1']\").getAttribute('aria-disabled');",
        )
        .await?;
        if next_disabled != "true" {
            return Err(format!("Next at the last event has aria-disabled={next_disabled}"));
        }

        // The whole text of an event, and its picture, unfolded; no id twice.
        client
            .goto(&example.url("/index.html#next-founded"))
            .await
            .map_err(|error| format!("open the index: {error}"))?;
        eventually(REACTS_WITHIN, "the story button", async || {
            let shown: bool = js(
                &client,
                "return document.querySelector('[data-story-open]').offsetParent !== null;",
            )
            .await?;
            if shown {
                Ok(())
            } else {
                Err("hidden".into())
            }
        })
        .await?;
        click(&client, "[data-story-open]").await?;
        let body = events[0]["body_html"].as_str().expect("a body").to_string();
        let last_paragraph = last_paragraph_text(&body);
        eventually(REACTS_WITHIN, "the full text and the picture in the slide", async || {
            let (text, picture, details, duplicates): (String, bool, usize, Vec<String>) = js(
                &client,
                "const slide = document.querySelector('[data-story-slide]'); \
                 const ids = [...document.querySelectorAll('[id]')].map(e => e.id); \
                 const img = slide.querySelector('.media-item img'); \
                 return [slide.innerText, !!img && img.getBoundingClientRect().height > 0, \
                 slide.querySelectorAll('details').length, ids.filter((id, i) => ids.indexOf(id) !== i)];",
            )
            .await?;
            if text.contains(&last_paragraph) && picture && details == 0 && duplicates.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "text has the last paragraph: {}, picture shown: {picture}, {details} details, duplicate ids {duplicates:?}",
                    text.contains(&last_paragraph)
                ))
            }
        })
        .await?;
        Ok(())
    });
}

/// The text of the last `<p>` of `html`, without its tags.
pub(crate) fn last_paragraph_text(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    let selector = scraper::Selector::parse("p").expect("a selector");
    let text = fragment
        .select(&selector)
        .next_back()
        .map(|p| p.text().collect::<String>())
        .expect("a paragraph");
    // innerText joins lines; compare a stretch without line ends.
    text.split_whitespace().take(12).collect::<Vec<_>>().join(" ")
}

/// Story mode at phone and desktop widths in one colour scheme: nothing
/// spills sideways, the buttons are targets of at least 24 × 24 px, and a
/// screenshot of each is kept.
fn screenshot_story(dark: bool) {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let scheme = if dark { "dark" } else { "light" };
    let options = Options {
        width: 390,
        height: 844,
        dark,
        javascript: true,
    };
    with_browser_options(&tools, options, |client| async move {
        for (width, height) in [(390, 844), (1280, 900)] {
            client
                .set_window_size(width, height)
                .await
                .map_err(|error| format!("resize to {width}: {error}"))?;
            let url = example.url("/index.html#bell-labs");
            client
                .goto(&url)
                .await
                .map_err(|error| format!("open {url}: {error}"))?;
            eventually(REACTS_WITHIN, "the story button", async || {
                let shown: bool = js(
                    &client,
                    "return document.querySelector('[data-story-open]').offsetParent !== null;",
                )
                .await?;
                if shown {
                    Ok(())
                } else {
                    Err("hidden".into())
                }
            })
            .await?;
            js::<Value>(
                &client,
                "document.querySelector('[data-story-open]').click(); return null;",
            )
            .await?;
            wait_for_step(
                &client,
                "bell-labs",
                &format!("4 / {}", slugs(&example).len()),
                "story mode at bell-labs",
            )
            .await?;
            let (inner, scroll, smallest): (f64, f64, f64) = js(
                &client,
                "const sizes = [...document.querySelectorAll('.story button')].map(b => { const r = b.getBoundingClientRect(); return Math.min(r.width, r.height); }); \
                 return [innerWidth, document.documentElement.scrollWidth, Math.min(...sizes)];",
            )
            .await?;
            if scroll > inner {
                return Err(format!("at {inner} px story mode scrolls sideways to {scroll} px"));
            }
            if smallest < 24.0 {
                return Err(format!("a button of story mode is {smallest} px across"));
            }
            let png = client
                .screenshot()
                .await
                .map_err(|error| format!("screenshot: {error}"))?;
            let path = screenshots().join(format!("story-{width}-{scheme}.png"));
            fs::write(&path, png).map_err(|error| format!("write {}: {error}", path.display()))?;
        }
        Ok(())
    });
}

#[test]
fn screenshots_of_story_mode_in_the_light_scheme() {
    screenshot_story(false);
}

#[test]
fn screenshots_of_story_mode_in_the_dark_scheme() {
    screenshot_story(true);
}
