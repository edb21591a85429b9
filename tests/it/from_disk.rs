//! The built example opened straight from disk (`file://`), as the guides
//! promise it works: the theme's scripts run there too (which is why they
//! are classic scripts, not ES modules), and filters read from the address
//! narrow the timeline, the page's own text standing in for `events.json`.
//!
//! Like `browser`, skipped loudly without Chromium and chromedriver unless
//! `ANNALS_REQUIRE_BROWSER=1`.

use serde_json::Value;

use crate::support::chromium::{eventually, with_browser, Tools};
use crate::support::{read, Site, PATIENCE};

#[test]
fn a_page_opened_from_disk_runs_the_theme_scripts_and_filters_from_the_address() {
    let Some(tools) = Tools::find() else { return };
    let site = Site::example();
    site.build().success();
    let out = site.out();
    let data: Value = serde_json::from_str(&read(&out.join("events.json"))).expect("events.json is JSON");
    let events = data["events"].as_array().expect("an `events` array");
    let awards = events
        .iter()
        .filter(|event| {
            event["tags"]
                .as_array()
                .is_some_and(|tags| tags.iter().any(|tag| tag["slug"] == "awards"))
        })
        .count();
    let expected = format!("{awards} of {} events shown", events.len());
    let address = format!("file://{}/index.html?tag=awards", out.display());
    with_browser(&tools, |client| async move {
        client
            .goto(&address)
            .await
            .map_err(|error| format!("open {address}: {error}"))?;
        eventually(PATIENCE, &format!("the status line to read `{expected}`"), async || {
            let value = client
                .execute(
                    "return [document.documentElement.classList.contains('js'), \
                     document.querySelector('[data-status]').textContent, \
                     document.querySelectorAll('.event-entry:not([hidden])').length];",
                    Vec::new(),
                )
                .await
                .map_err(|error| format!("read the page: {error}"))?;
            let (js, status, shown): (bool, String, usize) =
                serde_json::from_value(value).map_err(|error| format!("the page's answer: {error}"))?;
            if js && status == expected && shown == awards {
                Ok(())
            } else {
                Err(format!("class js {js}, status `{status}`, {shown} events shown"))
            }
        })
        .await
    });
}
