//! `search-compare pagefind SITE_OUTPUT`: indexes every event of a built
//! annals site (its `events.json`, and `<lang>/events.json` for each other
//! language) with Pagefind's Rust API, as custom records carrying the same
//! text annals' own index reads (title, summary, body, tags, track,
//! sources), and writes the bundle to `SITE_OUTPUT/pagefind/` (one bundle,
//! a language per record, as Pagefind does). Prints how long indexing and
//! building took and the bundle's size on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use serde_json::Value;

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// The event's body as text: the HTML's tags dropped (Pagefind's custom
/// records take text).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

/// One record per event: (url, content, language, meta, filters).
fn records(site: &Path) -> Vec<(String, String, String, BTreeMap<String, String>, BTreeMap<String, Vec<String>>)> {
    let mut files = vec![(String::new(), site.join("events.json"))];
    for entry in std::fs::read_dir(site).expect("read the site folder").flatten() {
        let candidate = entry.path().join("events.json");
        if entry.path().is_dir() && candidate.is_file() {
            files.push((format!("{}/", entry.file_name().to_string_lossy()), candidate));
        }
    }
    let mut out = Vec::new();
    for (prefix, file) in files {
        let data: Value = serde_json::from_slice(&std::fs::read(&file).expect("read events.json")).expect("events.json is JSON");
        let lang = text(&data["language"]).to_string();
        for event in data["events"].as_array().into_iter().flatten() {
            let tags: Vec<String> = event["tags"].as_array().into_iter().flatten().map(|t| text(&t["name"]).to_string()).collect();
            let track = text(&event["track"]["title"]).to_string();
            let sources: Vec<String> = event["sources"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| format!("{} {}", text(&s["title"]), text(&s["publisher"])))
                .collect();
            let content = [
                text(&event["title"]).to_string(),
                text(&event["summary_text"]).to_string(),
                strip_tags(text(&event["body_html"])),
                tags.join(" "),
                track.clone(),
                sources.join(" "),
            ]
            .join("\n");
            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), text(&event["title"]).to_string());
            meta.insert("date".to_string(), text(&event["date_label"]).to_string());
            let mut filters = BTreeMap::new();
            filters.insert("tag".to_string(), event["tags"].as_array().into_iter().flatten().map(|t| text(&t["slug"]).to_string()).collect());
            filters.insert("track".to_string(), vec![text(&event["track"]["id"]).to_string()]);
            filters.insert("era".to_string(), event["eras"].as_array().into_iter().flatten().map(|e| text(&e["slug"]).to_string()).collect());
            out.push((format!("/{prefix}{}", text(&event["timeline_url"])), content, lang.clone(), meta, filters));
        }
    }
    out
}

fn size_of(folder: &Path) -> (u64, usize) {
    let mut total = (0, 0);
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            let (bytes, files) = size_of(&path);
            total = (total.0 + bytes, total.1 + files);
        } else {
            total = (total.0 + entry.metadata().map(|m| m.len()).unwrap_or(0), total.1 + 1);
        }
    }
    total
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 || args[1] != "pagefind" {
        eprintln!("usage: search-compare pagefind SITE_OUTPUT");
        std::process::exit(2);
    }
    let site = PathBuf::from(&args[2]);
    let records = records(&site);
    let started = Instant::now();
    let options = PagefindServiceConfig::builder().keep_index_url(true).build();
    let mut index = PagefindIndex::new(Some(options)).expect("valid options");
    let count = records.len();
    for (url, content, lang, meta, filters) in records {
        index.add_custom_record(url, content, lang, Some(meta), Some(filters), None).await.expect("add a record");
    }
    let indexed = started.elapsed();
    let bundle = site.join("pagefind");
    let _ = std::fs::remove_dir_all(&bundle);
    index.write_files(Some(bundle.to_string_lossy().into_owned())).await.expect("write the bundle");
    let total = started.elapsed();
    let (bytes, files) = size_of(&bundle);
    println!("records\t{count}");
    println!("index_ms\t{}", indexed.as_millis());
    println!("build_and_write_ms\t{}", total.as_millis());
    println!("bundle_files\t{files}");
    println!("bundle_bytes\t{bytes}");
}
