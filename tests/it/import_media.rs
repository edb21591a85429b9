//! Every kind of media TimelineJS knows, imported and built: a compact
//! `all-media-types` (one event per kind, `tests/fixtures/import_media/`)
//! goes through `annals import`, and each event file and each built page is
//! checked for what the media became. The page must ask nothing of another
//! site until the reader does: no `<iframe>` is written, players wait
//! behind links.

use std::fs;
use std::path::Path;

use fantoccini::{Client, Locator};

use crate::support::chromium::{eventually, with_browser, Step, Tools};
use crate::support::{annals, html, read, selector, Site, StaticServer, PATIENCE, REPO};

/// The fixture site with the timeline imported (from a folder beside the
/// site, as an editor's download would be), and what import printed.
fn imported() -> (Site, String) {
    let site = Site::fixture("base");
    let timeline = site.base().join("download");
    let fixture = Path::new(REPO).join("tests/fixtures/import_media");
    fs::create_dir_all(timeline.join("media")).expect("create the download folder");
    for file in ["all-media-types.json", "media/x.jpg"] {
        fs::copy(fixture.join(file), timeline.join(file)).expect("copy the fixture");
    }
    let source = timeline.join("all-media-types.json");
    let root = site.root.display().to_string();
    let run = annals(
        &site.base(),
        &["import", &source.display().to_string(), "--root", &root],
    )
    .success();
    (site, run.stdout + &run.stderr)
}

/// The event file written for `slug` (named `<year>-<slug>.md`).
#[track_caller]
fn event_file(site: &Site, slug: &str) -> String {
    let folder = site.path("content/events");
    let entry = fs::read_dir(&folder)
        .expect("read content/events")
        .map_while(Result::ok)
        .find(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.strip_suffix(&format!("-{slug}.md"))
                .is_some_and(|year| year.bytes().all(|b| b.is_ascii_digit()))
        })
        .unwrap_or_else(|| panic!("no event file for `{slug}`"));
    read(&entry.path())
}

/// The `src:` of an event file's media.
#[track_caller]
fn media_src(site: &Site, slug: &str) -> String {
    let file = event_file(site, slug);
    let line = file
        .lines()
        .find_map(|line| line.trim().strip_prefix("src: "))
        .unwrap_or_else(|| panic!("`{slug}` has no media:\n{file}"));
    serde_json::from_str(line).unwrap_or_else(|_| line.to_string())
}

/// What the built page of `slug` shows for its media: the figure's kind
/// class and the element that presents it.
#[track_caller]
fn shown(out: &Path, slug: &str) -> (String, &'static str) {
    let page = html(&out.join(format!("events/{slug}/index.html")));
    let figure = page
        .select(&selector("figure.media-item"))
        .next()
        .unwrap_or_else(|| panic!("`{slug}` shows no media"));
    let kind = figure
        .value()
        .classes()
        .filter_map(|class| class.strip_prefix("media-"))
        .find(|kind| *kind != "item")
        .unwrap_or_default()
        .to_string();
    let has = |css: &str| figure.select(&selector(css)).next().is_some();
    let element = if has("img") {
        "picture"
    } else if has("audio[controls] > a[href]") {
        "audio player"
    } else if has("video[controls] > a[href]") {
        "video player"
    } else if has(".player-facade > a.video-play[data-embed][href^='https://']") {
        "click to load"
    } else if has("p.media-link > a[href]") {
        "link"
    } else {
        "nothing"
    };
    (kind, element)
}

#[test]
fn every_timelinejs_media_kind_imports_and_builds_into_something_shown() {
    let (site, printed) = imported();
    // The local picture was copied, and import said so.
    assert_eq!(
        fs::read(site.path("content/media/x.jpg")).expect("copied picture"),
        fs::read(Path::new(REPO).join("tests/fixtures/import_media/media/x.jpg")).expect("fixture picture"),
    );
    assert_eq!(media_src(&site, "image-local"), "media/x.jpg");
    assert!(printed.contains("copied content/media/x.jpg"), "{printed}");
    assert!(
        printed.contains("event 2 (Local image): the image had no alt text"),
        "{printed}"
    );
    assert!(!printed.contains("not imported: event 1 "), "{printed}");

    site.build().success();
    let out = site.out();
    let expected: [(&str, &str, &str); 37] = [
        ("image-remote", "image", "picture"),
        ("image-local", "image", "picture"),
        ("image-gif", "image", "picture"),
        ("youtube", "video", "click to load"),
        ("youtube-short", "video", "click to load"),
        ("vimeo", "video", "click to load"),
        ("dailymotion", "video", "click to load"),
        ("iframe", "video", "click to load"),
        ("vine", "link", "link"),
        ("wistia", "link", "link"),
        ("soundcloud", "audio", "click to load"),
        ("spotify", "audio", "click to load"),
        ("spotify-uri", "audio", "click to load"),
        ("mp3", "audio", "audio player"),
        ("wav", "audio", "audio player"),
        ("m4a", "audio", "audio player"),
        ("mp4", "video", "video player"),
        ("webm", "video", "video player"),
        ("twitter", "post", "link"),
        ("twitter-embed", "post", "link"),
        ("instagram", "post", "link"),
        ("instagram-profile", "post", "link"),
        ("google-maps", "map", "click to load"),
        ("google-maps-embed", "map", "click to load"),
        ("pdf", "document", "link"),
        ("google-docs", "document", "link"),
        ("documentcloud", "document", "link"),
        ("wikipedia", "article", "link"),
        ("flickr", "link", "link"),
        ("imgur", "link", "link"),
        ("artsy", "link", "link"),
        ("evernote", "link", "link"),
        ("storify", "link", "link"),
        ("google-plus", "link", "link"),
        ("website", "link", "link"),
        ("iframe-other", "link", "link"),
        ("iframe-soundcloud", "audio", "click to load"),
    ];
    let found: Vec<(&str, String, &str)> = expected
        .iter()
        .map(|(slug, _, _)| {
            let (kind, element) = shown(&out, slug);
            (*slug, kind, element)
        })
        .collect();
    let wanted: Vec<(&str, String, &str)> = expected
        .iter()
        .map(|(slug, kind, element)| (*slug, kind.to_string(), *element))
        .collect();
    assert_eq!(found, wanted);

    // Nothing is asked of another site before the reader asks.
    for entry in walk(&out) {
        if entry.extension().is_some_and(|extension| extension == "html") {
            let text = read(&entry);
            assert!(!text.contains("<iframe"), "{} has an iframe", entry.display());
        }
    }
}

#[test]
fn players_keep_start_times_and_embed_code_keeps_its_words() {
    let (site, _) = imported();
    // Addresses are kept as written; an iframe becomes its video's page.
    assert_eq!(
        media_src(&site, "youtube"),
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s"
    );
    assert_eq!(
        media_src(&site, "iframe"),
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30"
    );
    assert_eq!(
        media_src(&site, "iframe-other"),
        "https://datawrapper.dwcdn.net/abcde/1/"
    );
    assert!(event_file(&site, "iframe-other").contains("alt: \"A chart\""));
    assert_eq!(
        media_src(&site, "spotify-uri"),
        "https://open.spotify.com/album/1DFixLWuPkv3KT3TnV35m3"
    );
    // The tweet: its words and author as the caption, its address as src.
    let tweet = event_file(&site, "twitter-embed");
    assert_eq!(
        media_src(&site, "twitter-embed"),
        "https://twitter.com/knightlab/status/429722298453020672"
    );
    assert!(tweet.contains("Timelines & more"), "{tweet}");
    assert!(tweet.contains("Knight Lab (@knightlab)"), "{tweet}");
    // A quote that links nowhere goes into the text, with its author.
    let quote = event_file(&site, "blockquote");
    assert!(!quote.contains("media:"), "{quote}");
    assert!(quote.contains("> A quotation without a link."), "{quote}");
    assert!(quote.contains("— Someone Wise"), "{quote}");
    // A credit with two links keeps both.
    let credited = event_file(&site, "image-remote");
    assert!(
        credited.contains(
            "credit: \"Wikimedia (https://commons.wikimedia.org/) and A. Photographer (https://example.org/photographer)\""
        ),
        "{credited}"
    );

    site.build().success();
    let out = site.out();
    let embed = |slug: &str| {
        let page = html(&out.join(format!("events/{slug}/index.html")));
        let link = page.select(&selector("a.video-play")).next().expect("a player link");
        (
            link.value().attr("href").unwrap_or_default().to_string(),
            link.value().attr("data-embed").unwrap_or_default().to_string(),
        )
    };
    assert_eq!(
        embed("youtube"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s".to_string(),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=90".to_string()
        )
    );
    assert!(embed("youtube-short").1.ends_with("&start=42"));
    assert!(embed("iframe").1.ends_with("&start=30"));
    assert!(embed("vimeo").1.ends_with("#t=30s"));

    // The tweet's quote is shown, with its link.
    let page = html(&out.join("events/twitter-embed/index.html"));
    let quote = page
        .select(&selector("figure.media-post figcaption blockquote"))
        .next()
        .expect("the quoted tweet");
    let words: String = quote.text().collect();
    assert!(
        words.contains("Timelines & more") && words.contains("Knight Lab (@knightlab)"),
        "{words}"
    );
    assert!(quote
        .select(&selector(
            "a[href='https://twitter.com/knightlab/status/429722298453020672']"
        ))
        .next()
        .is_some());
    let page = html(&out.join("events/blockquote/index.html"));
    let quote = page
        .select(&selector(".event-body blockquote"))
        .next()
        .expect("the quote");
    assert!(quote.text().collect::<String>().contains("A quotation without a link."));
}

#[test]
fn timelinejs_text_reads_as_browsers_read_it() {
    let (site, _) = imported();
    let file = event_file(&site, "image-remote");
    // `&#150;` is windows-1252's en dash to a browser, and so to TimelineJS.
    assert!(file.contains("1914–1918, as browsers read it."), "{file}");
    assert!(file.contains("*A TimelineJS note.*"), "{file}");
    assert!(!file.contains("tl-note"), "{file}");
    site.build().success();
    let page = html(&site.out().join("events/image-remote/index.html"));
    let note = page.select(&selector(".event-body em")).next().expect("the note");
    assert_eq!(note.text().collect::<String>(), "A TimelineJS note.");
}

#[test]
fn local_media_is_never_read_through_a_link() {
    let site = Site::fixture("base");
    let download = site.base().join("download");
    fs::create_dir_all(&download).expect("create the download folder");
    let secret = site.base().join("secret.txt");
    fs::write(&secret, "not for publishing").expect("write the secret");
    std::os::unix::fs::symlink(&secret, download.join("x.jpg")).expect("make the link");
    let json = r#"{"events": [{"start_date": {"year": 2000}, "text": {"headline": "Linked"},
        "media": {"url": "x.jpg", "alt": "A picture"}}]}"#;
    fs::write(download.join("timeline.json"), json).expect("write the timeline");
    let source = download.join("timeline.json").display().to_string();
    let root = site.root.display().to_string();
    let run = annals(&site.base(), &["import", &source, "--root", &root]).success();
    assert!(!site.path("content/media/x.jpg").exists());
    assert!(
        run.stderr.contains("is a symbolic link, which import does not follow"),
        "{run}"
    );
}

async fn js(client: &Client, script: &str, arguments: Vec<serde_json::Value>) -> Step<serde_json::Value> {
    client
        .execute(script, arguments)
        .await
        .map_err(|error| format!("run `{script}`: {error}"))
}

#[test]
fn a_sound_player_loads_only_when_the_reader_presses_play() {
    let Some(tools) = Tools::find() else { return };
    let (site, _) = imported();
    site.build().success();
    let out = site.out();
    // A stand-in for SoundCloud's player, so that the test talks only to
    // this machine: the button is pointed at it before it is pressed.
    fs::write(
        out.join("player.html"),
        "<!doctype html><title>Player</title><p>Playing</p>",
    )
    .expect("write the player");
    let server = StaticServer::start(&out);
    let page = server.url("/events/soundcloud/index.html");
    let player = server.url("/player.html");
    with_browser(&tools, |client| async move {
        client
            .goto(&page)
            .await
            .map_err(|error| format!("open {page}: {error}"))?;
        let before = js(
            &client,
            "return { frames: document.querySelectorAll('iframe').length, \
             foreign: [...document.querySelectorAll('[src]')].map(e => e.src).filter(s => !s.startsWith(location.origin)), \
             embed: document.querySelector('a.video-play').dataset.embed };",
            Vec::new(),
        )
        .await?;
        if before["frames"] != 0 || before["foreign"] != serde_json::json!([]) {
            return Err(format!("before pressing play: {before}"));
        }
        if !before["embed"]
            .as_str()
            .unwrap_or_default()
            .starts_with("https://w.soundcloud.com/player/")
        {
            return Err(format!("the button would load {}", before["embed"]));
        }
        js(
            &client,
            "document.querySelector('a.video-play').setAttribute('data-embed', arguments[0]);",
            vec![serde_json::json!(player)],
        )
        .await?;
        client
            .find(Locator::Css("a.video-play"))
            .await
            .map_err(|error| format!("find the button: {error}"))?
            .click()
            .await
            .map_err(|error| format!("press play: {error}"))?;
        let frame = eventually(PATIENCE, "the player's frame", async || {
            let frame = js(
                &client,
                "const f = document.querySelector('figure.media-audio iframe'); \
                 return f && { src: f.src, title: f.title, box: f.parentElement.className, \
                 facades: document.querySelectorAll('.player-facade').length };",
                Vec::new(),
            )
            .await?;
            if frame.is_null() {
                Err("no frame yet".to_string())
            } else {
                Ok(frame)
            }
        })
        .await?;
        let expected = serde_json::json!({
            "src": player,
            "title": "Play on SoundCloud",
            "box": "video-frame player-frame player-audio",
            "facades": 0,
        });
        if frame == expected {
            Ok(())
        } else {
            Err(format!("the frame is {frame}, expected {expected}"))
        }
    });
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("read folder").map_while(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
