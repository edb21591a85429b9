//! The exported `timeline.json` in TimelineJS3 itself: the real library
//! (installed from npm into `tools/node_modules`, loaded from disk, no
//! network) renders every event of the example as a slide, with no errors,
//! and prints BCE years, circa dates and eras as annals means them; and a
//! TimelineJS file imports to the years TimelineJS shows for it. Then
//! `annals import` of a spreadsheet as its user sees it: lines counted as
//! the spreadsheet counts them, skipped rows and notes told apart, `--into`
//! kept inside `content/`, and the title slide offered as the site title;
//! and a markwhen file imported and built.

use std::fs;
use std::path::Path;

use fantoccini::Locator;

use crate::support::chromium::{eventually, with_browser, Step, Tools};
use crate::support::{annals, read, Site, StaticServer, PATIENCE, REPO};

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
window.timeline = new TL.Timeline("timeline-embed", "DATA", { script_path: new URL("tljs/js/", location.href).href, language: "en" });
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

/// TimelineJS's files, or `None` (with a banner, or a panic when
/// `ANNALS_REQUIRE_BROWSER=1`) when `npm ci` has not been run in `tools/`.
fn library() -> Option<std::path::PathBuf> {
    let library = Path::new(REPO).join("tools/node_modules/@knight-lab/timelinejs/dist");
    if library.is_dir() {
        return Some(library);
    }
    assert_ne!(
        std::env::var("ANNALS_REQUIRE_BROWSER").as_deref(),
        Ok("1"),
        "TimelineJS is not installed: run `npm ci` in tools/"
    );
    eprintln!("\nSKIPPED: the TimelineJS test needs `npm ci` in tools/ (installs @knight-lab/timelinejs)\n");
    None
}

/// Puts TimelineJS into `out/tljs/` and a page showing `data` as `out/<page>`.
fn install_page(library: &Path, out: &Path, page: &str, data: &str) {
    if !out.join("tljs").is_dir() {
        copy_tree(library, &out.join("tljs"));
    }
    fs::write(out.join(page), PAGE.replace("DATA", data)).expect("write the page");
}

/// Opens `url` and returns, once TimelineJS has made `slides` event slides,
/// the dates it prints on them and the console errors.
async fn shown_dates(client: &fantoccini::Client, url: &str, slides: usize) -> Step<(Vec<String>, serde_json::Value)> {
    client.goto(url).await.map_err(|e| e.to_string())?;
    eventually(PATIENCE, "TimelineJS slides", async || {
        let found = client
            .find_all(Locator::Css(".tl-slide:not(.tl-slide-titleslide)"))
            .await
            .map_err(|e| e.to_string())?;
        if found.len() >= slides {
            Ok(())
        } else {
            let errors = client.execute("return window.__errors;", vec![]).await;
            Err(format!("{} slides; console errors: {errors:?}", found.len()))
        }
    })
    .await?;
    let dates = client
        .execute(
            "return Array.from(document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide) .tl-headline-date'), \
             function (date) { return date.textContent.replace(/\\s+/g, ' ').trim(); });",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let dates = serde_json::from_value(dates).map_err(|e| e.to_string())?;
    let errors = client
        .execute("return window.__errors;", vec![])
        .await
        .map_err(|e| e.to_string())?;
    Ok((dates, errors))
}

#[test]
fn timelinejs_renders_every_exported_event_without_errors() {
    let Some(tools) = Tools::find() else { return };
    let Some(library) = library() else { return };
    let site = Site::example();
    site.build().success();
    let out = site.out();
    install_page(&library, &out, "tljs.html", "timeline.json");
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

/// A site whose events TimelineJS has no plain form for: a BCE year, a
/// circa date, an era that starts after every event and never ends.
fn historical_site() -> Site {
    let site = Site::fixture("base");
    site.replace(
        "site.yaml",
        "tracks:",
        "eras:\n  - title: Later\n    start: 2100\n    end: ..\ntracks:",
    );
    site.replace(
        "site.yaml",
        "    title: Main\n",
        "    title: Main\n  - id: politics\n    title: Politics\n",
    );
    site.write(
        "content/events/republic.md",
        "---\ntitle: The Republic founded\ndate: 500 BCE\ntrack: politics\n---\nRome expels its last king.\n",
    );
    site.write(
        "content/events/printing.md",
        "---\ntitle: Printing reaches Venice\ndate: c. 1469\n---\nA press opens.\n",
    );
    site
}

#[test]
fn timelinejs_shows_exported_bce_years_and_circa_dates_as_annals_does() {
    let site = historical_site();
    site.build().success();
    let out = site.out();
    let exported: serde_json::Value = serde_json::from_str(&read(&out.join("timeline.json"))).expect("timeline.json");
    let events = exported["events"].as_array().expect("events");
    let by_id = |id: &str| {
        events
            .iter()
            .find(|event| event["unique_id"] == id)
            .unwrap_or_else(|| panic!("{id} in {exported}"))
    };
    assert_eq!(by_id("republic")["start_date"], serde_json::json!({"year": -500}));
    assert_eq!(by_id("printing")["display_date"], "c. 1469");
    assert_eq!(by_id("printing")["start_date"], serde_json::json!({"year": 1469}));
    let era = &exported["eras"][0];
    assert_eq!(era["text"]["headline"], "Later");
    assert_eq!(
        (&era["start_date"], &era["end_date"]),
        (&serde_json::json!({"year": 2100}), &serde_json::json!({"year": 2101})),
        "an open era after the last event ends after it starts, as TimelineJS requires"
    );

    let Some(tools) = Tools::find() else { return };
    let Some(library) = library() else { return };
    install_page(&library, &out, "tljs.html", "timeline.json");
    let server = StaticServer::start(&out);
    let url = server.url("/tljs.html");
    let slides = events.len();
    with_browser(&tools, |client| async move {
        let (dates, errors) = shown_dates(&client, &url, slides).await?;
        if errors.as_array().is_some_and(|list| !list.is_empty()) {
            return Err(format!("console errors: {errors}"));
        }
        for expected in ["500 BCE", "c. 1469"] {
            if !dates.iter().any(|date| date == expected) {
                return Err(format!("TimelineJS shows no {expected:?} among {dates:?}"));
            }
        }
        // Groups stack in the order of their first events (Politics starts
        // in 500 BCE, Main in 2001), whatever the order of `tracks:`.
        let groups = client
            .execute(
                "return Array.from(document.querySelectorAll('.tl-timegroup-message'), \
                 function (group) { return group.textContent.trim(); });",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if groups != serde_json::json!(["Politics", "Main", ""]) {
            return Err(format!("TimelineJS groups: {groups}"));
        }
        Ok(())
    });
}

#[test]
fn a_bce_year_imports_as_the_year_timelinejs_shows() {
    let site = Site::fixture("base");
    let source = site.base().join("socrates.json");
    fs::write(
        &source,
        r#"{"events": [{"start_date": {"year": -399}, "text": {"headline": "Trial of Socrates"}}]}"#,
    )
    .expect("write the source");
    let root = site.root.display().to_string();
    annals(
        &site.base(),
        &["import", source.to_str().expect("utf-8 path"), "--root", &root],
    )
    .success();
    let file = site.read("content/events/0399-bce-trial-of-socrates.md");
    assert!(file.contains("\ndate: -0398  # 399 BCE\n"), "{file}");
    site.build().success();
    let page = read(&site.out().join("events/trial-of-socrates/index.html"));
    assert!(page.contains("399 BCE"), "the event page says 399 BCE");

    let Some(tools) = Tools::find() else { return };
    let Some(library) = library() else { return };
    let out = site.out();
    fs::copy(&source, out.join("socrates.json")).expect("copy the source");
    install_page(&library, &out, "socrates.html", "socrates.json");
    let server = StaticServer::start(&out);
    let url = server.url("/socrates.html");
    with_browser(&tools, |client| async move {
        let (dates, _) = shown_dates(&client, &url, 1).await?;
        if dates == ["399 BCE"] {
            Ok(())
        } else {
            Err(format!("TimelineJS shows {dates:?} for year -399"))
        }
    });
}

/// `annals import <file> --root <site> <extra…>`, run from the temp dir.
fn import(site: &Site, file: &Path, extra: &[&str]) -> crate::support::Run {
    let root = site.root.display().to_string();
    let file = file.display().to_string();
    let mut args = vec!["import", file.as_str(), "--root", root.as_str()];
    args.extend(extra);
    annals(&site.base(), &args)
}

/// A sheet saved with Windows line ends and a cell of two lines: line 3 is
/// an event with notes, line 4 has no Year, line 5 is an event.
const SHEET: &str = "Year,Month,Headline,Text,Media Thumbnail,Type\r\n\
                     ,,The road to Rome,\"An intro\r\nover two lines\",,title\r\n\
                     -49,1,Rubicon,The die is cast.,https://example.org/t.jpg,\r\n\
                     ,,No year,,,\r\n\
                     -44,3,Ides of March,,,\r\n";

#[test]
fn import_names_skipped_lines_apart_from_notes_on_imported_events() {
    let site = Site::fixture("base");
    let sheet = site.base().join("sheet.csv");
    fs::write(&sheet, SHEET).expect("write the sheet");
    let run = import(&site, &sheet, &[]).success();
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains("skipped: line 4 (No year): no Year"), "{said}");
    assert!(
        said.contains("note: line 3 (Rubicon): media thumbnail not imported"),
        "{said}"
    );
    assert!(!said.contains("not imported:"), "{said}");
    assert!(said.contains("Imported 2 events (0 kept, 1 skipped, 1 note)"), "{said}");
    assert!(site.path("content/events/0049-01-bce-rubicon.md").is_file());
    assert!(!said.contains("title:"), "the site has a title of its own: {said}");
}

#[test]
fn a_row_with_too_few_cells_stops_the_import_at_its_line() {
    let site = Site::fixture("base");
    let sheet = site.base().join("sheet.csv");
    fs::write(&sheet, SHEET.replace("-44,3,Ides of March,,,", "-44,3,Ides of March")).expect("write the sheet");
    let run = import(&site, &sheet, &[]).failure();
    assert!(
        run.stderr.contains(&format!(
            "{}:5:1: error: line 5 has 3 cells, but the header has 6: a comma or a quote is missing",
            sheet.display()
        )),
        "{run}"
    );
    assert!(
        !site.path("content/events/0049-01-bce-rubicon.md").exists(),
        "nothing written"
    );
}

#[test]
fn import_into_a_folder_outside_content_is_refused_unless_forced() {
    let site = Site::fixture("base");
    let sheet = site.base().join("sheet.csv");
    fs::write(&sheet, SHEET).expect("write the sheet");
    let outside = site.root.join("drafts");
    let run = import(&site, &sheet, &["--into", outside.to_str().expect("utf-8")]).failure();
    assert!(run.stderr.contains("is outside the site's content/ folder"), "{run}");
    assert!(!outside.exists(), "nothing written");
    let sneaky = format!("{}/content/../drafts", site.root.display());
    import(&site, &sheet, &["--into", &sneaky]).failure();
    import(&site, &sheet, &["--into", outside.to_str().expect("utf-8"), "--force"]).success();
    assert!(outside.join("0049-01-bce-rubicon.md").is_file());
    import(&site, &sheet, &["--into", "site/content/events/imported"]).success();
    assert!(site.path("content/events/imported/0049-01-bce-rubicon.md").is_file());
}

#[test]
fn the_title_slide_is_offered_as_the_title_of_a_site_without_one() {
    let site = Site::fixture("base");
    site.replace("site.yaml", "title: Fixture timeline", "title: \"My timeline\"");
    let sheet = site.base().join("sheet.csv");
    fs::write(&sheet, SHEET).expect("write the sheet");
    let run = import(&site, &sheet, &[]).success();
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("Add to site.yaml:\ntitle: \"The road to Rome\"\n"),
        "{said}"
    );
    assert!(site
        .read("content/_index.md")
        .starts_with("---\ntitle: \"The road to Rome\"\n---\n"));
}

#[test]
fn a_markwhen_file_imports_with_its_groups_as_tracks_and_builds() {
    let site = Site::fixture("base");
    let source = site.base().join("career.mw");
    fs::write(
        &source,
        "title: A career\n\
         description: Where LeCun worked.\n\
         \n\
         // groups become tracks\n\
         group Career\n\
         1988 - 1996: Bell Labs #research\n\
         He joins the Adaptive Systems Research department.\n\
         2003: NYU\n\
         endGroup\n\
         12/9/2013: Facebook AI Research #industry\n\
         2023-04/4 months: A span given as a duration\n",
    )
    .expect("write the source");
    let run = import(&site, &source, &[]).success();
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("skipped: line 11 (A span given as a duration): cannot read `2023-04/4 months`"),
        "{said}"
    );
    assert!(
        said.contains("Imported 3 events (0 kept, 1 skipped, 0 notes)"),
        "{said}"
    );
    assert!(
        said.contains("tracks:\n  - id: \"career\"\n    title: \"Career\"\n"),
        "{said}"
    );
    let bell = site.read("content/events/1988-bell-labs.md");
    assert!(bell.contains("\ndate: 1988\nend: 1996\n"), "{bell}");
    assert!(bell.contains("\ntrack: \"career\"\n"), "{bell}");
    assert!(bell.contains("\ntags: [\"research\"]\n"), "{bell}");
    assert!(
        bell.ends_with("---\nHe joins the Adaptive Systems Research department.\n"),
        "{bell}"
    );
    assert!(site.path("content/events/2013-12-09-facebook-ai-research.md").is_file());
    assert!(site.read("content/_index.md").contains("Where LeCun worked."));
    site.build().success();
    let page = read(&site.out().join("events/bell-labs/index.html"));
    assert!(
        page.contains(r#"<time datetime="1988">1988</time> – <time datetime="1996">1996</time>"#),
        "the built page shows the range"
    );
}
