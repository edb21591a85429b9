//! The whole story in place without leaving the page, in a real browser:
//! each event's full text folded in its entry on the timeline (readable
//! without JavaScript), and the embed, which fits the frame it is given
//! (640 × 480, and 320 px wide) and opens in story mode.
//!
//! Like `theme`, these tests are skipped loudly without Chromium and
//! chromedriver unless `ANNALS_REQUIRE_BROWSER=1`.

use fantoccini::Client;

use crate::story::{last_paragraph_text, serve_example, slugs, REACTS_WITHIN};
use crate::support::chromium::{click, eventually, js, with_browser, with_browser_options, Options, Step, Tools};

#[test]
fn without_javascript_each_events_full_text_is_folded_in_its_entry_and_the_embed_fits_its_frame() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let events = example.events();
    let options = Options {
        javascript: false,
        ..Options::default()
    };
    with_browser_options(&tools, options, |client| async move {
        let url = example.url("/index.html");
        client
            .goto(&url)
            .await
            .map_err(|error| format!("open {url}: {error}"))?;
        // Every event's last paragraph and each of its sources is in its entry.
        for event in &events {
            let slug = event["slug"].as_str().expect("a slug");
            let body = event["body_html"].as_str().unwrap_or_default();
            let text: String = js(
                &client,
                &format!("return document.getElementById('{slug}').querySelector('details.event-full').textContent;"),
            )
            .await?;
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !body.is_empty() && !text.contains(&last_paragraph_text(body)) {
                return Err(format!("the entry of `{slug}` does not hold its full text: {text}"));
            }
            for source in event["sources"].as_array().into_iter().flatten() {
                let title = source["title"].as_str().unwrap_or_default();
                if !text.contains(title) {
                    return Err(format!("the entry of `{slug}` does not list its source `{title}`"));
                }
            }
        }

        // Folded at first, so the page stays short; a click unfolds it.
        let visible = "const p = [...document.querySelectorAll('#bell-labs details.event-full .event-body p')].pop(); \
                       return p.checkVisibility();";
        if js::<bool>(&client, visible).await? {
            return Err("the full text of `bell-labs` is shown before it is asked for".into());
        }
        click(&client, "#bell-labs details.event-full > summary").await?;
        eventually(REACTS_WITHIN, "the full text to unfold", async || {
            if js::<bool>(&client, visible).await? {
                Ok(())
            } else {
                Err("still folded".into())
            }
        })
        .await?;

        // The embed, without the script, scrolls inside its frame.
        let url = example.url("/embed-640.html");
        client
            .goto(&url)
            .await
            .map_err(|error| format!("open {url}: {error}"))?;
        client
            .enter_frame(0)
            .await
            .map_err(|error| format!("enter the iframe: {error}"))?;
        let (scroll_height, height, scroll_width, width): (f64, f64, f64, f64) = js(
            &client,
            "const doc = document.scrollingElement; return [doc.scrollHeight, innerHeight, doc.scrollWidth, innerWidth];",
        )
        .await?;
        if scroll_height > height || scroll_width > width {
            return Err(format!(
                "without the script, the embed is {scroll_width} × {scroll_height} px in a {width} × {height} frame"
            ));
        }
        Ok(())
    });
}

/// The size of the embed's document and of its window, and what story
/// mode shows, measured inside the frame.
async fn embed_in_frame(client: &Client) -> Step<(f64, f64, f64, f64, String)> {
    js(
        client,
        "const doc = document.scrollingElement; \
         return [doc.scrollHeight, innerHeight, doc.scrollWidth, innerWidth, \
         document.querySelector('[data-story]').hidden ? '' : document.querySelector('[data-story-count]').textContent];",
    )
    .await
}

#[test]
fn the_embed_fits_a_640_by_480_frame_and_a_320_px_one_and_opens_in_story_mode() {
    let Some(tools) = Tools::find() else { return };
    let example = serve_example();
    let total = slugs(&example).len();
    with_browser(&tools, |client| async move {
        for (page, width) in [("/embed-640.html", 640.0), ("/embed-320.html", 320.0)] {
            let url = example.url(page);
            client
                .goto(&url)
                .await
                .map_err(|error| format!("open {url}: {error}"))?;
            let outer: (f64, f64) = js(
                &client,
                "const frame = document.getElementById('timeline').getBoundingClientRect(); return [frame.width, frame.height];",
            )
            .await?;
            client
                .enter_frame(0)
                .await
                .map_err(|error| format!("enter the iframe: {error}"))?;
            let first = format!("1 / {total}");
            let measured = eventually(REACTS_WITHIN, "story mode in the embed", async || {
                let measured = embed_in_frame(&client).await?;
                if measured.4 == first {
                    Ok(measured)
                } else {
                    Err(format!("{measured:?}"))
                }
            })
            .await?;
            let (scroll_height, height, scroll_width, inner_width, _) = measured;
            if outer != (width, 480.0) || height != 480.0 || inner_width != width {
                return Err(format!("the frame is {outer:?}, its window {inner_width} × {height}"));
            }
            if scroll_height > height || scroll_width > inner_width {
                return Err(format!(
                    "in a {width} × 480 frame the embed is {scroll_width} × {scroll_height} px"
                ));
            }
            // The bars and the event share the frame: none of the panel's boxes lies outside it.
            let (bottom, right): (f64, f64) = js(
                &client,
                "let bottom = 0, right = 0; \
                 for (const e of document.querySelectorAll('.story-bar > *, .story-nav > *, .story-slide')) { \
                   const r = e.getBoundingClientRect(); bottom = Math.max(bottom, r.bottom); right = Math.max(right, r.right); } \
                 return [bottom, right];",
            )
            .await?;
            if bottom > height || right > inner_width {
                return Err(format!(
                    "story mode reaches {right} × {bottom} px in a {inner_width} × {height} frame"
                ));
            }
            // Stepping happens inside the frame, which keeps its size.
            click(&client, "[data-story-step='1']").await?;
            let second = format!("2 / {total}");
            eventually(REACTS_WITHIN, "the second event in the embed", async || {
                let measured = embed_in_frame(&client).await?;
                if measured.4 == second && measured.0 <= measured.1 && measured.2 <= measured.3 {
                    Ok(())
                } else {
                    Err(format!("{measured:?}"))
                }
            })
            .await?;
            // The list, too, scrolls inside the frame.
            click(&client, "[data-story-close]").await?;
            eventually(REACTS_WITHIN, "the list in the embed, inside the frame", async || {
                let measured = embed_in_frame(&client).await?;
                if measured.4.is_empty() && measured.0 <= measured.1 && measured.2 <= measured.3 {
                    Ok(())
                } else {
                    Err(format!("{measured:?}"))
                }
            })
            .await?;
            client
                .enter_parent_frame()
                .await
                .map_err(|error| format!("leave the iframe: {error}"))?;
            let after: (f64, f64) = js(
                &client,
                "const frame = document.getElementById('timeline').getBoundingClientRect(); return [frame.width, frame.height];",
            )
            .await?;
            if after != outer {
                return Err(format!("the frame went from {outer:?} to {after:?}"));
            }
        }
        Ok(())
    });
}
