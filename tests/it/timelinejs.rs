//! The exported `timeline.json` in TimelineJS3 itself: the real library
//! (installed from npm into `tools/node_modules`, loaded from disk, no
//! network) renders every event of the example as a slide, with no errors.

use std::fs;
use std::path::Path;

use fantoccini::Locator;

use crate::support::chromium::{eventually, with_browser, Step, Tools};
use crate::support::{read, Site, StaticServer, PATIENCE, REPO};

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
<script>
window.__errors = [];
window.addEventListener("error", function (event) { window.__errors.push(String(event.message)); });
var originalError = console.error;
console.error = function () { window.__errors.push(Array.prototype.join.call(arguments, " ")); originalError.apply(console, arguments); };
</script>
<link rel="stylesheet" href="tljs/css/timeline.css">
<script src="tljs/js/timeline.js"></script>
</head><body>
<div id="timeline-embed" style="width: 100%; height: 600px"></div>
<script>
window.timeline = new TL.Timeline("timeline-embed", "timeline.json", { script_path: new URL("tljs/js/", location.href).href, language: "en" });
</script>
</body></html>
"#;

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder").map_while(Result::ok) {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

#[test]
fn timelinejs_renders_every_exported_event_without_errors() {
    let Some(tools) = Tools::find() else { return };
    let library = Path::new(REPO).join("tools/node_modules/@knight-lab/timelinejs/dist");
    if !library.is_dir() {
        assert_ne!(
            std::env::var("ANNALS_REQUIRE_BROWSER").as_deref(),
            Ok("1"),
            "TimelineJS is not installed: run `npm ci` in tools/"
        );
        eprintln!("\nSKIPPED: the TimelineJS test needs `npm ci` in tools/ (installs @knight-lab/timelinejs)\n");
        return;
    }
    let site = Site::example();
    site.build().success();
    let out = site.out();
    copy_tree(&library, &out.join("tljs"));
    fs::write(out.join("tljs.html"), PAGE).expect("write the page");
    let exported: serde_json::Value = serde_json::from_str(&read(&out.join("timeline.json"))).expect("timeline.json");
    let events = exported["events"].as_array().expect("events").len();
    assert!(events >= 16);
    let server = StaticServer::start(&out);
    let url = server.url("/tljs.html");
    with_browser(&tools, |client| async move {
        client.goto(&url).await.map_err(|e| e.to_string())?;
        let slides = eventually(PATIENCE, "TimelineJS slides", async || {
            let found = client
                .find_all(Locator::Css(".tl-slide:not(.tl-slide-titleslide)"))
                .await
                .map_err(|e| e.to_string())?;
            if found.len() >= events {
                Ok(found.len())
            } else {
                Err(format!("{} slides", found.len()))
            }
        })
        .await?;
        let errors = client
            .execute("return window.__errors;", vec![])
            .await
            .map_err(|e| e.to_string())?;
        let title = client
            .find(Locator::Css(".tl-slide-titleslide .tl-headline"))
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        let check: Step = if slides != events {
            Err(format!("{slides} slides for {events} events"))
        } else if errors.as_array().is_some_and(|list| !list.is_empty()) {
            Err(format!("console errors: {errors}"))
        } else if !title.to_lowercase().contains("lecun") {
            Err(format!("title slide says {title:?}"))
        } else {
            Ok(())
        };
        check
    });
}
