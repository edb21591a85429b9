//! Reading a built site: its HTML pages (each parsed once, on every core),
//! `events.json` and the order of its events, and a link checker that
//! proves every relative link, asset and `#fragment` of every page resolves.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use serde_json::Value;

use super::{html, read, selector};

/// Every `.html` file of the output, by `/`-separated relative path, sorted.
pub fn html_pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = output_paths(out)
        .into_iter()
        .filter(|(path, is_dir)| !is_dir && path.ends_with(".html"))
        .map(|(path, _)| path)
        .collect();
    pages.sort();
    pages
}

/// Parses each of `pages` (relative to `out`) once and keeps what `extract`
/// takes from it. Pages are shared out between threads: a 2,000-event site
/// has about 30 MB of HTML, and a debug build of the parser is slow.
pub fn parse_pages<T: Send>(
    out: &Path,
    pages: &[String],
    extract: impl Fn(&scraper::Html) -> T + Sync,
) -> BTreeMap<String, T> {
    let next = AtomicUsize::new(0);
    let found = Mutex::new(BTreeMap::new());
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(pages.len().max(1));
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut mine = Vec::new();
                while let Some(page) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    mine.push((page.clone(), extract(&html(&out.join(page)))));
                }
                found.lock().expect("no worker panicked").extend(mine);
            });
        }
    });
    found.into_inner().expect("no worker panicked")
}

/// One `href` or `src` in a page.
#[derive(Debug, Clone)]
pub struct Link {
    /// The element's name (`a`, `link`, `img`, `script`).
    pub element: String,
    /// The attribute's value, as written.
    pub url: String,
    /// Its `rel`, if any (`prev`, `next`, `canonical`, …).
    pub rel: Option<String>,
}

/// What the link checker needs from a page: its ids and its links.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    /// Every `id` on the page.
    pub ids: HashSet<String>,
    /// Every link, in document order.
    pub links: Vec<Link>,
}

impl PageLinks {
    /// The ids and links of a parsed page.
    pub fn of(page: &scraper::Html) -> PageLinks {
        let ids = page
            .select(&selector("[id]"))
            .filter_map(|element| element.value().attr("id").map(str::to_string))
            .collect();
        let links = page
            .select(&selector("a[href], link[href], img[src], script[src]"))
            .map(|element| {
                let attr = element.value();
                Link {
                    element: attr.name().to_string(),
                    url: attr
                        .attr("href")
                        .or_else(|| attr.attr("src"))
                        .unwrap_or_default()
                        .to_string(),
                    rel: attr.attr("rel").map(str::to_string),
                }
            })
            .collect();
        PageLinks { ids, links }
    }

    /// The `href` of the first link whose `rel` includes `rel`, if any.
    pub fn rel(&self, rel: &str) -> Option<&str> {
        self.links
            .iter()
            .find(|link| {
                link.rel
                    .as_deref()
                    .is_some_and(|rels| rels.split_ascii_whitespace().any(|r| r == rel))
            })
            .map(|link| link.url.as_str())
    }
}

/// Where a link in an output page points.
#[derive(Debug, PartialEq)]
pub enum Target {
    /// Off-site (another host, mail); not checked.
    External,
    /// `#fragment` on the same page.
    SamePage(String),
    /// A path inside the output, `/`-separated, possibly a folder, and a fragment.
    Local(String, Option<String>),
    /// A problem with the link itself.
    Bad(String),
}

/// Resolves `url`, found on output page `page`, relative to the page's folder.
/// Absolute URLs under `base_url` count as links into the site.
pub fn resolve(page: &str, url: &str, base_url: &str) -> Target {
    let (from_root, rest) = match url.strip_prefix(base_url) {
        Some(rest) => (true, rest),
        None if ["http://", "https://", "mailto:"].iter().any(|p| url.starts_with(p)) => return Target::External,
        None => (false, url),
    };
    if let Some(fragment) = rest.strip_prefix('#') {
        return if from_root {
            Target::Local(String::new(), Some(fragment.to_string()))
        } else {
            Target::SamePage(fragment.to_string())
        };
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (rest, None),
    };
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);
    if path.starts_with('/') || path.contains("://") {
        return Target::Bad("not a relative link (the site must work under any sub-path)".into());
    }
    let mut parts: Vec<&str> = if from_root {
        Vec::new()
    } else {
        page.split('/').collect()
    };
    parts.pop(); // the page's own file name
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Bad("climbs out of the output folder".into());
                }
            }
            name => parts.push(name),
        }
    }
    Target::Local(parts.join("/"), fragment)
}

/// Every link problem in `pages` (parsed from `out`): missing files and
/// missing `id`s. Looks at the disk once, however many links there are.
pub fn broken_links(out: &Path, base_url: &str, pages: &BTreeMap<String, PageLinks>) -> Vec<String> {
    let (dirs, files): (Vec<_>, Vec<_>) = output_paths(out).into_iter().partition(|(_, is_dir)| *is_dir);
    let dirs: HashSet<String> = dirs.into_iter().map(|(path, _)| path).collect();
    let files: HashSet<String> = files.into_iter().map(|(path, _)| path).collect();
    let mut problems = Vec::new();
    for (page, found) in pages {
        for link in &found.links {
            let mut problem =
                |why: String| problems.push(format!("{page}: <{} …=\"{}\">: {why}", link.element, link.url));
            let (target_page, fragment) = match resolve(page, &link.url, base_url) {
                Target::External => continue,
                Target::Bad(why) => {
                    problem(why);
                    continue;
                }
                Target::SamePage(fragment) => (page.clone(), Some(fragment)),
                Target::Local(path, fragment) => {
                    let file = if path.is_empty() {
                        "index.html".to_string()
                    } else if dirs.contains(&path) {
                        format!("{path}/index.html")
                    } else {
                        path
                    };
                    if !files.contains(&file) {
                        problem(format!("`{file}` does not exist in the output"));
                        continue;
                    }
                    (file, fragment)
                }
            };
            let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            if let Some(known) = pages.get(&target_page) {
                if !known.ids.contains(&fragment) {
                    problem(format!("`{target_page}` has no element with id `{fragment}`"));
                }
            }
        }
    }
    problems
}

/// Every folder and file under `out` (followed by whether it is a folder),
/// by `/`-separated relative path.
fn output_paths(out: &Path) -> Vec<(String, bool)> {
    walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.expect("walk the output");
            let relative = entry
                .path()
                .strip_prefix(out)
                .expect("inside the output")
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (relative, entry.file_type().is_dir())
        })
        .collect()
}

/// The `events` array of `events.json`.
pub fn events_json(out: &Path) -> Vec<Value> {
    let data: Value = serde_json::from_str(&read(&out.join("events.json"))).expect("events.json is JSON");
    data["events"]
        .as_array()
        .expect("events.json has an `events` array")
        .clone()
}

/// The `slug` of an entry of `events.json`.
pub fn slug(event: &Value) -> &str {
    event["slug"].as_str().expect("every event has a slug")
}

/// Where a date sorts: (year, month, day, time), missing parts as zero, so
/// a year sorts before the months of that year, as annals orders them.
pub type DateKey = (i64, u32, u32, String);

/// The [`DateKey`] of an entry of `events.json`.
pub fn date_key(event: &Value) -> DateKey {
    let date = &event["date"];
    let year = date["year"].as_i64().expect("every date has a year");
    date_key_of(year, date["datetime"].as_str())
}

/// The [`DateKey`] of an astronomical `year` and, when there is one, its
/// machine-readable date (`1998-11`, `2019-03-27T10:00`, `-0498`).
pub fn date_key_of(year: i64, datetime: Option<&str>) -> DateKey {
    let Some(datetime) = datetime else {
        return (year, 0, 0, String::new());
    };
    let (day_part, time) = datetime.split_once('T').unwrap_or((datetime, ""));
    // A BCE year starts with a minus sign, which is not a separator.
    let mut parts = day_part.strip_prefix('-').unwrap_or(day_part).split('-');
    let written: i64 = parts.next().and_then(|y| y.parse().ok()).expect("a numeric year");
    let written = if day_part.starts_with('-') { -written } else { written };
    assert_eq!(written, year, "`{datetime}` is in year {year}");
    let number = |part: Option<&str>| part.map_or(0, |p| p.parse::<u32>().expect("a numeric date part"));
    (year, number(parts.next()), number(parts.next()), time.to_string())
}

/// Every folder above one of `pages` (paths relative to the output) that
/// has no `index.html`: a reader who trims the address there finds
/// nothing.
pub fn folders_without_index(pages: &[String]) -> Vec<String> {
    let known: HashSet<&str> = pages.iter().map(String::as_str).collect();
    let mut missing: Vec<String> = pages
        .iter()
        .flat_map(|page| {
            let parts: Vec<&str> = page.split('/').collect();
            (1..parts.len()).map(move |n| format!("{}/index.html", parts[..n].join("/")))
        })
        .filter(|index| !known.contains(index.as_str()))
        .collect();
    missing.sort();
    missing.dedup();
    missing
}
