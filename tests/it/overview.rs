//! The overview in a real browser, at a phone's width (390 px) and a
//! desktop's (1280 px): the whole of it on screen, no two marks overlapping,
//! every mark a target of at least 24×24 px (or spaced as WCAG 2.2, 2.5.8,
//! allows), with JavaScript and without; an event 2,500 years before the
//! rest cut off by a visible break instead of squeezing them; a generated
//! 2,000-event site drawn as counts per period in a small SVG; zooming with
//! the keyboard kept in the address across a reload; and axe (WCAG 2.2 AA
//! and best practices) finding nothing on the index. Screenshots of the
//! example's overview go to `target/screenshots/`.
//!
//! Like `theme`, these tests are skipped loudly without Chromium and
//! chromedriver unless `ANNALS_REQUIRE_BROWSER=1`.

use std::fs;
use std::path::Path;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::support::chromium::{eventually, js, screenshots, with_browser_options, Options, Step, Tools};
use crate::support::{corpus, read, Served, Site, PATIENCE, REPO};

/// The widths the overview is checked at: a phone and a desktop.
const WIDTHS: [u32; 2] = [390, 1280];
/// And for the example's layout, a small phone and a tablet too.
const MORE_WIDTHS: [u32; 4] = [320, 390, 768, 1280];
/// The least size of a target (WCAG 2.2, 2.5.8), with half a pixel for
/// rounding.
const TARGET: f64 = 24.0 - 0.5;

/// Opens `url` at `width` and, with JavaScript, waits until the overview's
/// script has laid it out.
async fn open(client: &Client, url: &str, width: u32, javascript: bool) -> Step {
    client
        .set_window_size(width, 900)
        .await
        .map_err(|error| format!("resize to {width}: {error}"))?;
    client.goto(url).await.map_err(|error| format!("open {url}: {error}"))?;
    if javascript {
        wait_ready(client).await?;
        let inner: u32 = js(client, "return innerWidth;").await?;
        if inner != width {
            return Err(format!("the window is {inner} px wide, not {width}"));
        }
    }
    Ok(())
}

async fn wait_ready(client: &Client) -> Step {
    eventually(PATIENCE, "the overview's script to lay it out", async || {
        let ready: bool = js(
            client,
            "const svg = document.querySelector('svg.overview'); return !!svg && svg.classList.contains('is-ready') && innerWidth > 0;",
        )
        .await?;
        if ready {
            Ok(())
        } else {
            Err("not ready".into())
        }
    })
    .await
}

/// A mark on screen: its name and its box in CSS pixels.
#[derive(Debug, Clone)]
struct Mark {
    label: String,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

/// The marks the overview shows, with their boxes as the page lays them
/// out (hidden ones, inside a closed group, have none).
async fn marks(client: &Client) -> Step<Vec<Mark>> {
    let boxes: Vec<(String, f64, f64, f64, f64)> = js(
        client,
        "return [...document.querySelectorAll('svg.overview a.overview-mark')]\
           .map(mark => [mark.getAttribute('aria-label') || '', mark.getBoundingClientRect()])\
           .filter(([, box]) => box.width > 0 && box.height > 0)\
           .map(([label, box]) => [label, box.left, box.top, box.right, box.bottom]);",
    )
    .await?;
    Ok(boxes
        .into_iter()
        .map(|(label, left, top, right, bottom)| Mark {
            label,
            left,
            top,
            right,
            bottom,
        })
        .collect())
}

/// No two marks overlap, every mark is inside the window's width, and each
/// is a target of at least 24×24 px or, smaller, spaced as 2.5.8 allows: a
/// 24 px circle on its centre touches no other mark nor another such circle.
fn check_geometry(marks: &[Mark], width: u32, what: &str) -> Step {
    if marks.is_empty() {
        return Err(format!("{what}: the overview shows no marks"));
    }
    let width = f64::from(width);
    for mark in marks {
        if mark.left < -0.5 || mark.right > width + 0.5 {
            return Err(format!("{what}: `{}` is outside the window: {mark:?}", mark.label));
        }
    }
    for (at, a) in marks.iter().enumerate() {
        for b in &marks[at + 1..] {
            let across = a.right.min(b.right) - a.left.max(b.left);
            let down = a.bottom.min(b.bottom) - a.top.max(b.top);
            if across > 0.5 && down > 0.5 {
                return Err(format!("{what}: `{}` and `{}` overlap: {a:?} {b:?}", a.label, b.label));
            }
        }
    }
    let small = |mark: &Mark| mark.right - mark.left < TARGET || mark.bottom - mark.top < TARGET;
    let centre = |mark: &Mark| ((mark.left + mark.right) / 2.0, (mark.top + mark.bottom) / 2.0);
    let distance_to_box = |(x, y): (f64, f64), mark: &Mark| {
        let dx = (mark.left - x).max(0.0).max(x - mark.right);
        let dy = (mark.top - y).max(0.0).max(y - mark.bottom);
        dx.hypot(dy)
    };
    for a in marks.iter().filter(|mark| small(mark)) {
        for b in marks.iter().filter(|b| !std::ptr::eq(*b, a)) {
            let (ca, cb) = (centre(a), centre(b));
            let touches_box = distance_to_box(ca, b) < 12.0 - 0.5;
            let touches_circle = small(b) && (ca.0 - cb.0).hypot(ca.1 - cb.1) < 24.0 - 0.5;
            if touches_box || touches_circle {
                return Err(format!(
                    "{what}: `{}` is smaller than 24×24 px and too close to `{}`: {a:?} {b:?}",
                    a.label, b.label
                ));
            }
        }
    }
    Ok(())
}

/// No two era labels and no two tick labels overlap.
async fn labels_apart(client: &Client, what: &str) -> Step {
    for css in [".overview-era-label", ".overview-tick"] {
        let boxes: Vec<(String, f64, f64, f64, f64)> = js(
            client,
            &format!(
                "return [...document.querySelectorAll('svg.overview {css}')].map(t => [t.textContent, t.getBoundingClientRect()])\
                   .filter(([, b]) => b.width > 0).map(([text, b]) => [text, b.left, b.top, b.right, b.bottom]);"
            ),
        )
        .await?;
        for (at, a) in boxes.iter().enumerate() {
            for b in &boxes[at + 1..] {
                let across = a.3.min(b.3) - a.1.max(b.1);
                let down = a.4.min(b.4) - a.2.max(b.2);
                if across > 0.5 && down > 0.5 {
                    return Err(format!("{what}: the labels `{}` and `{}` overlap", a.0, b.0));
                }
            }
        }
    }
    Ok(())
}

/// The example's overview at a phone's and a desktop's width, with and
/// without JavaScript: all on screen, nothing overlapping, every mark a
/// target; and the page never scrolls sideways.
fn geometry_of_the_example(javascript: bool) {
    let Some(tools) = Tools::find() else { return };
    let example = Served::start(Site::example());
    let options = Options {
        javascript,
        ..Options::default()
    };
    with_browser_options(&tools, options, |client| async move {
        for width in MORE_WIDTHS {
            open(&client, &example.url("/index.html"), width, javascript).await?;
            let what = format!("at {width} px{}", if javascript { "" } else { " without JavaScript" });
            let shown = marks(&client).await?;
            check_geometry(&shown, width, &what)?;
            labels_apart(&client, &what).await?;
            if javascript {
                let (inner, scroll): (u32, u32) =
                    js(&client, "return [innerWidth, document.documentElement.scrollWidth];").await?;
                if scroll > inner {
                    return Err(format!("{what}: the page scrolls sideways to {scroll} px"));
                }
                js::<Value>(
                    &client,
                    "document.querySelector('.overview-section').scrollIntoView(); return null;",
                )
                .await?;
                let section = client
                    .find(Locator::Css(".overview-section"))
                    .await
                    .map_err(|error| format!("the overview: {error}"))?;
                let png = section
                    .screenshot()
                    .await
                    .map_err(|error| format!("screenshot: {error}"))?;
                let path = screenshots().join(format!("overview-{width}.png"));
                fs::write(&path, png).map_err(|error| format!("write {}: {error}", path.display()))?;
            }
        }
        Ok(())
    });
}

#[test]
fn the_overview_fits_a_phone_and_a_desktop_with_every_mark_a_target_apart() {
    geometry_of_the_example(true);
}

#[test]
fn without_javascript_the_overview_still_fits_with_every_mark_a_target_apart() {
    geometry_of_the_example(false);
}

#[test]
fn an_event_far_from_the_rest_is_cut_off_by_a_break_instead_of_squeezing_them() {
    let Some(tools) = Tools::find() else { return };
    let site = Site::example();
    site.write(
        "content/events/0500bce-athens.md",
        "---\ntitle: An outlier in Athens\ndate: 500 BCE\ntrack: research\n---\nFar from the rest.\n",
    );
    let served = Served::start(site);
    with_browser_options(&tools, Options::default(), |client| async move {
        for width in WIDTHS {
            open(&client, &served.url("/index.html"), width, true).await?;
            // Where each year with modern events starts, in pixels, by the
            // axis the drawing describes (`data-scale`: pieces of `from to
            // left right`, years to percentages).
            let (xs, breaks, break_name, svg_width): (Vec<(i32, f64)>, usize, String, f64) = js(
                &client,
                "const svg = document.querySelector('svg.overview');\
                 const pieces = svg.getAttribute('data-scale').split(',').map(p => p.split(' ').map(Number));\
                 const x = (year) => { for (const [from, to, left, right] of pieces) if (year >= from && year <= to) return to > from ? left + (year - from) / (to - from) * (right - left) : (left + right) / 2; return NaN; };\
                 const years = [...new Set([...document.querySelectorAll('.event-entry')].map(e => +e.getAttribute('data-year')).filter(y => y > 1900))].sort((a, b) => a - b);\
                 const box = svg.getBoundingClientRect();\
                 const gaps = [...svg.querySelectorAll('.overview-break')].filter(b => b.getBoundingClientRect().width > 0);\
                 return [years.map(y => [y, x(y) / 100 * box.width]), gaps.length, gaps.length ? gaps[0].querySelector('title').textContent : '', box.width];",
            )
            .await?;
            if breaks != 1 || !break_name.contains("years") {
                return Err(format!("at {width} px: {breaks} visible breaks, named `{break_name}`"));
            }
            // The closest two years with events: squeezed by a linear axis
            // over 2,525 years they would be 0.5 px apart at 1280 px; here at
            // least half what a linear axis over the modern 41 years gives.
            let least = svg_width / 41.0 / 2.0;
            let closest = xs
                .windows(2)
                .map(|pair| (pair[1].1 - pair[0].1, pair[0].0, pair[1].0))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .ok_or("fewer than two modern years")?;
            if closest.0.is_nan() || closest.0 < least {
                return Err(format!(
                    "at {width} px the modern years are squeezed: {} and {} are {:.1} px apart, less than {least:.1} ({xs:?})",
                    closest.1, closest.2, closest.0
                ));
            }
            let shown = marks(&client).await?;
            check_geometry(&shown, width, &format!("at {width} px with an outlier"))?;
            if !shown.iter().any(|mark| mark.label.contains("Athens")) {
                return Err("the outlier has no mark of its own".into());
            }
        }
        Ok(())
    });
}

#[test]
fn a_big_site_shows_how_many_events_each_period_holds_in_a_small_svg() {
    let site = Site::empty();
    corpus::generate(&site.root, 2000, 42);
    let Some(tools) = Tools::find() else { return };
    let served = Served::start(site);
    let index = read(&served.out.join("index.html"));
    let start = index.find("<svg class=\"overview").expect("the index has the overview");
    let end = start + index[start..].find("</svg>\n").expect("the overview ends");
    let svg = &index[start..end];
    assert!(svg.len() < 40_000, "the overview takes {} bytes", svg.len());
    assert!(
        svg.contains("is-dense"),
        "a 2,000-event overview counts events per period"
    );
    assert!(!svg.contains("data-slug="), "no mark for single events at 2,000 events");
    let bins = svg.matches("class=\"overview-mark overview-bin\"").count();
    assert!((2..400).contains(&bins), "{bins} periods");
    with_browser_options(&tools, Options::default(), |client| async move {
        for width in WIDTHS {
            open(&client, &served.url("/index.html"), width, true).await?;
            let shown = marks(&client).await?;
            check_geometry(&shown, width, &format!("2,000 events at {width} px"))?;
            if shown.len() > 200 {
                return Err(format!("{} bars at {width} px", shown.len()));
            }
            let named: bool = js(
                &client,
                "return [...document.querySelectorAll('svg.overview a.overview-bin')].every(bin => /: \\d/.test(bin.getAttribute('aria-label')) && /timeline\\//.test(bin.getAttribute('href')));",
            )
            .await?;
            if !named {
                return Err("a bar is not named by its period and count, or does not link to its page".into());
            }
        }
        Ok(())
    });
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

/// The `view` parameter of the page's address.
async fn view_in_address(client: &Client) -> Step<Option<String>> {
    let url = client
        .current_url()
        .await
        .map_err(|error| format!("current url: {error}"))?;
    Ok(url
        .query_pairs()
        .find(|(name, _)| name == "view")
        .map(|(_, value)| value.into_owned()))
}

/// Where the axis puts its first and last tick, and what they say.
async fn ticks(client: &Client) -> Step<Vec<(String, String)>> {
    js(
        client,
        "return [...document.querySelectorAll('svg.overview .overview-tick')].map(t => [t.textContent, t.getAttribute('x')]);",
    )
    .await
}

#[test]
fn zooming_with_the_keyboard_keeps_the_view_in_the_address_and_a_reload_restores_it() {
    let Some(tools) = Tools::find() else { return };
    let example = Served::start(Site::example());
    with_browser_options(&tools, Options::default(), |client| async move {
        open(&client, &example.url("/index.html?track=meta"), 1280, true).await?;
        let whole = ticks(&client).await?;
        press(&client, '+').await?;
        press(&client, '+').await?;
        let view = eventually(PATIENCE, "the view in the address", async || {
            view_in_address(&client).await?.ok_or_else(|| "no view yet".to_string())
        })
        .await?;
        let (from, to) = view
            .split_once('_')
            .and_then(|(from, to)| Some((from.parse::<f64>().ok()?, to.parse::<f64>().ok()?)))
            .ok_or_else(|| format!("the view `{view}` is not two years"))?;
        if to <= from || to - from >= 15.0 {
            return Err(format!("zoomed in twice, the view shows {from}–{to}"));
        }
        let zoomed = ticks(&client).await?;
        if zoomed == whole {
            return Err(format!("zooming did not change the axis: {zoomed:?}"));
        }
        let filters: String = js(&client, "return new URLSearchParams(location.search).get('track');").await?;
        if filters != "meta" {
            return Err(format!("zooming lost the filter: track={filters}"));
        }

        client.refresh().await.map_err(|error| format!("reload: {error}"))?;
        wait_ready(&client).await?;
        if view_in_address(&client).await?.as_deref() != Some(view.as_str()) {
            return Err(format!(
                "after a reload the address holds {:?}",
                view_in_address(&client).await?
            ));
        }
        let restored = ticks(&client).await?;
        let same = restored.len() == zoomed.len()
            && restored.iter().zip(&zoomed).all(|((label, x), (was_label, was_x))| {
                let (x, was_x) = (
                    x.trim_end_matches('%').parse::<f64>(),
                    was_x.trim_end_matches('%').parse::<f64>(),
                );
                label == was_label && matches!((x, was_x), (Ok(x), Ok(was)) if (x - was).abs() < 0.2)
            });
        if !same {
            return Err(format!("the reload shows {restored:?}, not {zoomed:?}"));
        }

        press(&client, '-').await?;
        press(&client, '-').await?;
        eventually(
            PATIENCE,
            "the view to leave the address",
            async || match view_in_address(&client).await? {
                None => Ok(()),
                Some(view) => Err(view),
            },
        )
        .await?;
        let back = ticks(&client).await?;
        if back != whole {
            return Err(format!("zoomed out again, the axis shows {back:?}, not {whole:?}"));
        }
        Ok(())
    });
}

/// axe-core's script, from `npm ci` in `tools/`; `None` (with a banner, or a
/// panic when `ANNALS_REQUIRE_BROWSER=1`) when it is not installed.
fn axe_source() -> Option<String> {
    let path = Path::new(REPO).join("tools/node_modules/axe-core/axe.min.js");
    if let Ok(source) = fs::read_to_string(&path) {
        return Some(source);
    }
    assert_ne!(
        std::env::var("ANNALS_REQUIRE_BROWSER").as_deref(),
        Ok("1"),
        "axe-core is not installed: run `npm ci` in tools/"
    );
    eprintln!("\nSKIPPED: the axe test needs `npm ci` in tools/ (installs axe-core)\n");
    None
}

/// axe's violations on the page open in `client`, with the WCAG 2.2 AA
/// rules and best practices: each rule and the elements it names.
async fn axe(client: &Client, source: &str) -> Step<Vec<Value>> {
    client
        .execute(source, Vec::new())
        .await
        .map_err(|error| format!("load axe: {error}"))?;
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })\
               .then(result => done(result.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }))))\
               .catch(error => done([{ id: 'axe failed', help: String(error) }]));",
            Vec::new(),
        )
        .await
        .map_err(|error| format!("run axe: {error}"))?;
    serde_json::from_value(found).map_err(|error| format!("axe's result: {error}"))
}

#[test]
fn axe_finds_no_violation_on_the_index_at_a_phone_and_a_desktop_width() {
    let Some(tools) = Tools::find() else { return };
    let Some(source) = axe_source() else { return };
    let example = Served::start(Site::example());
    for dark in [false, true] {
        let options = Options {
            dark,
            ..Options::default()
        };
        let (source, example) = (&source, &example);
        with_browser_options(&tools, options, |client| async move {
            for width in WIDTHS {
                open(&client, &example.url("/index.html"), width, true).await?;
                let violations = axe(&client, source).await?;
                if !violations.is_empty() {
                    let scheme = if dark { "dark" } else { "light" };
                    return Err(format!(
                        "axe at {width} px ({scheme}): {}",
                        serde_json::to_string_pretty(&violations).unwrap_or_default()
                    ));
                }
            }
            Ok(())
        });
    }
}
