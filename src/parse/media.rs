//! What a media address is, and how a page may play it.
//!
//! TimelineJS decides what to show from the media address alone (a YouTube
//! link becomes a player, an `.mp3` an audio player, a Wikipedia link a
//! summary…); annals judges the same address the same way, once, when an
//! event is read. Players from other sites are never loaded with the page:
//! [`player`] gives the address a theme puts behind a click-to-load link,
//! so nothing is asked of the other site until the reader asks for it.

use serde::Serialize;

/// What kind of thing a media item is, judged from its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// A picture, shown inline.
    Image,
    /// A video: a file, played in `<video>`, or on a video site
    /// (YouTube, Vimeo, Dailymotion), behind a click-to-load player.
    Video,
    /// Sound: a file, played in `<audio>`, or on SoundCloud or Spotify,
    /// behind a click-to-load player.
    Audio,
    /// A map (Google Maps), behind a click-to-load map or linked.
    Map,
    /// A document (PDF, Google Docs, DocumentCloud), linked.
    Document,
    /// A post on a social site (X/Twitter, Instagram, Facebook…), linked.
    Post,
    /// An encyclopedia article (Wikipedia), linked.
    Article,
    /// Anything else, linked.
    Link,
}

const IMAGE_EXTENSIONS: [&str; 7] = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"];
const VIDEO_EXTENSIONS: [&str; 5] = [".mp4", ".webm", ".ogv", ".mov", ".m4v"];
const AUDIO_EXTENSIONS: [&str; 8] = [".mp3", ".wav", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".aac"];

impl MediaKind {
    /// The kind of the media at `src` (an address or a site path).
    pub fn of(src: &str) -> MediaKind {
        let lower = src.trim().to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or_default();
        let host = host_of(&lower);
        let on = |site: &str| host == site || host.ends_with(&format!(".{site}"));
        let ends = |extensions: &[&str]| extensions.iter().any(|extension| path.ends_with(extension));
        if on("youtube.com") || on("youtu.be") || on("youtube-nocookie.com") || on("vimeo.com") || on("dailymotion.com")
        {
            MediaKind::Video
        } else if on("soundcloud.com") || on("spotify.com") || lower.starts_with("spotify:") {
            MediaKind::Audio
        } else if ends(&IMAGE_EXTENSIONS) {
            MediaKind::Image
        } else if ends(&VIDEO_EXTENSIONS) {
            MediaKind::Video
        } else if ends(&AUDIO_EXTENSIONS) {
            MediaKind::Audio
        } else if is_google_maps(&host, path) {
            MediaKind::Map
        } else if path.ends_with(".pdf") || on("docs.google.com") || on("documentcloud.org") {
            MediaKind::Document
        } else if on("wikipedia.org") {
            MediaKind::Article
        } else if [
            "twitter.com",
            "x.com",
            "instagram.com",
            "facebook.com",
            "threads.net",
            "bsky.app",
            "tiktok.com",
        ]
        .iter()
        .any(|site| on(site))
        {
            MediaKind::Post
        } else {
            MediaKind::Link
        }
    }

    /// Whether the item is a file played by the page itself (`<audio>`,
    /// `<video>`), rather than by another site's player.
    pub fn is_file_player(self, src: &str) -> bool {
        let lower = src.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or_default();
        match self {
            MediaKind::Video => VIDEO_EXTENSIONS.iter().any(|extension| path.ends_with(extension)),
            MediaKind::Audio => AUDIO_EXTENSIONS.iter().any(|extension| path.ends_with(extension)),
            _ => false,
        }
    }
}

fn is_google_maps(host: &str, path: &str) -> bool {
    let google = host == "google.com" || host.starts_with("google.") || host.ends_with(".google.com");
    (google && path.contains("/maps")) || host == "maps.google.com" || host == "goo.gl" && path.contains("/maps")
}

/// `https://www.Example.org:8080/x` → `example.org` (lower case, without
/// `www.` or a port); empty for a site path.
fn host_of(url: &str) -> String {
    let Some((_, rest)) = url.split_once("//") else {
        return String::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    host.strip_prefix("www.").unwrap_or(host).to_ascii_lowercase()
}

/// Another site's player for a media address: who provides it and the
/// address to load (in an `<iframe>`) when the reader asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    /// "YouTube", "Vimeo", "SoundCloud"…
    pub provider: &'static str,
    /// The address of the player.
    pub embed_url: String,
}

/// The player for `url`, when annals knows one for its site; `None` for
/// anything else (which a theme then links to).
pub fn player(url: &str) -> Option<Player> {
    let address = Address::of(url)?;
    youtube(&address)
        .or_else(|| vimeo(&address))
        .or_else(|| dailymotion(&address))
        .or_else(|| soundcloud(&address))
        .or_else(|| spotify(&address))
        .or_else(|| google_map(address.path, address.query))
}

/// A media address taken apart, without its scheme or a leading `www.`
/// or `m.`: `youtube.com/watch?v=x#t=5`.
struct Address<'a> {
    /// All but the fragment: `youtube.com/watch?v=x`.
    location: &'a str,
    /// `youtube.com/watch`.
    path: &'a str,
    /// `v=x`.
    query: &'a str,
    /// `t=5`.
    fragment: &'a str,
}

impl<'a> Address<'a> {
    /// `None` for an address without a scheme (a site path).
    fn of(url: &'a str) -> Option<Self> {
        let rest = url.trim().split_once("://").map(|(_, rest)| rest)?;
        let rest = rest
            .strip_prefix("www.")
            .or_else(|| rest.strip_prefix("m."))
            .unwrap_or(rest);
        let (location, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (path, query) = location.split_once('?').unwrap_or((location, ""));
        Some(Self {
            location,
            path,
            query,
            fragment,
        })
    }

    /// The value of the query's parameter `name`.
    fn param(&self, name: &str) -> Option<&'a str> {
        self.query
            .split('&')
            .find_map(|pair| pair.strip_prefix(name).and_then(|value| value.strip_prefix('=')))
    }
}

/// Whether `id` looks like a video site's id for a video.
fn is_video_id(id: &str) -> bool {
    (6..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A YouTube video's page, short, live stream or player, from the start
/// time it gives.
fn youtube(address: &Address<'_>) -> Option<Player> {
    let path = address.path;
    let id = if path == "youtube.com/watch" {
        address.param("v")
    } else {
        [
            "youtu.be/",
            "youtube.com/embed/",
            "youtube.com/shorts/",
            "youtube.com/live/",
            "youtube-nocookie.com/embed/",
        ]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
    };
    let id = id.filter(|id| is_video_id(id))?;
    let start = address
        .param("t")
        .or_else(|| address.param("start"))
        .or_else(|| address.fragment.strip_prefix("t="))
        .and_then(seconds);
    let start = start.map(|seconds| format!("&start={seconds}")).unwrap_or_default();
    Some(Player {
        provider: "YouTube",
        embed_url: format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1{start}"),
    })
}

/// A Vimeo video's page or player, from the start time it gives.
fn vimeo(address: &Address<'_>) -> Option<Player> {
    let path = address.path;
    let id = path
        .strip_prefix("vimeo.com/")
        .or_else(|| path.strip_prefix("player.vimeo.com/video/"))
        .filter(|id| !id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()))?;
    let start = address
        .fragment
        .strip_prefix("t=")
        .or_else(|| address.param("t"))
        .and_then(seconds)
        .map(|seconds| format!("#t={seconds}s"))
        .unwrap_or_default();
    Some(Player {
        provider: "Vimeo",
        embed_url: format!("https://player.vimeo.com/video/{id}?autoplay=1{start}"),
    })
}

/// A Dailymotion video's page or short address.
fn dailymotion(address: &Address<'_>) -> Option<Player> {
    let path = address.path;
    let id = path
        .strip_prefix("dailymotion.com/video/")
        .or_else(|| path.strip_prefix("dai.ly/"))
        .map(|id| id.split('_').next().unwrap_or_default())
        .filter(|id| {
            is_video_id(id) || (1..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
        })?;
    Some(Player {
        provider: "Dailymotion",
        embed_url: format!("https://www.dailymotion.com/embed/video/{id}?autoplay=1"),
    })
}

/// A SoundCloud page, or SoundCloud's own player.
fn soundcloud(address: &Address<'_>) -> Option<Player> {
    let path = address.path;
    // SoundCloud's own player, as embed code gives it: it is its address.
    if path.trim_end_matches('/') == "w.soundcloud.com/player" && address.param("url").is_some() {
        return Some(Player {
            provider: "SoundCloud",
            embed_url: format!("https://{}", address.location),
        });
    }
    if path.starts_with("soundcloud.com/") && path.len() > "soundcloud.com/".len() {
        let page = format!("https://{}", path.trim_end_matches('/'));
        return Some(Player {
            provider: "SoundCloud",
            embed_url: format!("https://w.soundcloud.com/player/?url={}&auto_play=true", encode(&page)),
        });
    }
    None
}

/// A Spotify track, album, playlist, episode, show or artist.
fn spotify(address: &Address<'_>) -> Option<Player> {
    let item = address.path.strip_prefix("open.spotify.com/")?;
    let mut parts = item
        .split('/')
        .filter(|part| !part.starts_with("intl-") && *part != "embed");
    let (kind, id) = (parts.next()?, parts.next()?);
    let kinds = ["track", "album", "playlist", "episode", "show", "artist"];
    if kinds.contains(&kind) && !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Some(Player {
            provider: "Spotify",
            embed_url: format!("https://open.spotify.com/embed/{kind}/{id}"),
        });
    }
    None
}

/// A Google Maps address as a map that needs no key: the embed address
/// itself, or a search for the place or the point the address shows.
fn google_map(path: &str, query: &str) -> Option<Player> {
    let map = |embed_url: String| {
        Some(Player {
            provider: "Google Maps",
            embed_url,
        })
    };
    let after = path
        .strip_prefix("google.com/maps")
        .or_else(|| path.strip_prefix("maps.google.com/maps"))?;
    if after.starts_with("/embed") && query.starts_with("pb=") {
        return map(format!("https://www.google.com/maps/embed?{query}"));
    }
    // `/maps/place/Eiffel+Tower/@48.85,2.29,17z/…` or `/maps/@48.85,2.29,17z`.
    let segments: Vec<&str> = after.split('/').collect();
    let place = segments
        .iter()
        .position(|segment| *segment == "place")
        .and_then(|at| segments.get(at + 1));
    let point = segments.iter().find_map(|segment| segment.strip_prefix('@'));
    let zoom = point
        .and_then(|point| point.split(',').nth(2))
        .and_then(|zoom| zoom.strip_suffix('z'))
        .and_then(|zoom| zoom.parse::<f32>().ok())
        .map(|zoom| format!("&z={}", zoom.round() as u8));
    let query_place = query.split('&').find_map(|pair| pair.strip_prefix("q="));
    let search = match (place, point, query_place) {
        (Some(place), _, _) => place.to_string(),
        (None, Some(point), _) => point.split(',').take(2).collect::<Vec<_>>().join(","),
        (None, None, Some(query)) => query.to_string(),
        _ => return None,
    };
    let safe = |c: char| c.is_ascii_alphanumeric() || "+-.,%_".contains(c);
    if search.is_empty() || !search.chars().all(safe) {
        return None;
    }
    map(format!(
        "https://maps.google.com/maps?q={search}{}&output=embed",
        zoom.unwrap_or_default()
    ))
}

/// `90`, `1m30s`, `1h2m3s`, `90s` → seconds.
fn seconds(text: &str) -> Option<u64> {
    if let Ok(seconds) = text.parse() {
        return Some(seconds);
    }
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => number.push(c),
            'h' | 'm' | 's' => {
                let value: u64 = number.parse().ok()?;
                number.clear();
                total += value
                    * [("h", 3600), ("m", 60), ("s", 1)]
                        .iter()
                        .find(|(unit, _)| unit.starts_with(c))?
                        .1;
            }
            _ => return None,
        }
    }
    number.is_empty().then_some(total)
}

/// Percent-encodes everything but unreserved characters, for an address
/// given inside another's query.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_judged_as_timelinejs_judges_them() {
        let cases = [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", MediaKind::Video),
            ("https://vimeo.com/76979871", MediaKind::Video),
            ("https://cdn.example.org/clip.webm", MediaKind::Video),
            ("media/talk.MP4", MediaKind::Video),
            ("https://example.org/a.mp3?x=1", MediaKind::Audio),
            ("https://soundcloud.com/artist/track", MediaKind::Audio),
            (
                "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
                MediaKind::Audio,
            ),
            ("media/photo.jpg", MediaKind::Image),
            ("https://www.google.com/maps/place/Paris", MediaKind::Map),
            ("https://example.org/report.pdf", MediaKind::Document),
            ("https://en.wikipedia.org/wiki/Timeline", MediaKind::Article),
            ("https://twitter.com/knightlab/status/1", MediaKind::Post),
            ("https://x.com/knightlab/status/1", MediaKind::Post),
            ("https://example.org/page", MediaKind::Link),
            ("https://box.com/x.com", MediaKind::Link),
        ];
        for (src, kind) in cases {
            assert_eq!(MediaKind::of(src), kind, "{src}");
        }
        assert!(MediaKind::Audio.is_file_player("a.mp3"));
        assert!(!MediaKind::Audio.is_file_player("https://soundcloud.com/a/b"));
    }

    #[test]
    fn players_keep_the_start_time() {
        let youtube = |url| player(url).map(|player| player.embed_url);
        let at_90 = Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=90".to_string());
        assert_eq!(youtube("https://youtu.be/dQw4w9WgXcQ?t=90"), at_90);
        assert_eq!(youtube("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s"), at_90);
        assert_eq!(youtube("https://www.youtube.com/embed/dQw4w9WgXcQ?start=90"), at_90);
        assert_eq!(youtube("https://www.youtube.com/watch?v=dQw4w9WgXcQ#t=90"), at_90);
        assert_eq!(
            youtube("https://youtube.com/watch?feature=x&v=dQw4w9WgXcQ"),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1".to_string())
        );
        assert_eq!(
            youtube("https://vimeo.com/76979871#t=2m"),
            Some("https://player.vimeo.com/video/76979871?autoplay=1#t=120s".to_string())
        );
        assert_eq!(youtube("https://www.youtube.com/watch?v=<script>"), None);
        assert_eq!(youtube("https://vimeo.com/channels/staff"), None);
    }

    #[test]
    fn sound_and_map_sites_get_players() {
        assert_eq!(
            player("https://soundcloud.com/artist/a-track"),
            Some(Player {
                provider: "SoundCloud",
                embed_url: "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist%2Fa-track&auto_play=true".into()
            })
        );
        assert_eq!(
            player("https://open.spotify.com/intl-de/album/1DFixLWuPkv3KT3TnV35m3?si=x").map(|p| p.embed_url),
            Some("https://open.spotify.com/embed/album/1DFixLWuPkv3KT3TnV35m3".into())
        );
        assert_eq!(
            player("https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z/data=x")
                .map(|p| p.embed_url),
            Some("https://maps.google.com/maps?q=Eiffel+Tower&z=17&output=embed".into())
        );
        assert_eq!(
            player("https://www.google.com/maps/@40.7,-74.0,12z").map(|p| p.embed_url),
            Some("https://maps.google.com/maps?q=40.7,-74.0&z=12&output=embed".into())
        );
        assert_eq!(player("https://www.google.com/maps/place/<script>"), None);
        // Players given as embed code.
        assert_eq!(
            player("https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1&color=ff5500")
                .map(|p| p.embed_url),
            Some("https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1&color=ff5500".into())
        );
        assert_eq!(
            player("https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC").map(|p| p.embed_url),
            Some("https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC".into())
        );
        assert_eq!(player("https://example.org/a.mp3"), None);
    }
}
