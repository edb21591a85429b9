//! A synthetic site: 10,000 events made deterministically from a seed, as the
//! loader and parser would hand them over, each with the fingerprint of its
//! source text that the loader computes once when it reads the file.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use twox_hash::XxHash3_64;

/// Number of events in the synthetic site.
pub const EVENT_COUNT: usize = 10_000;
/// First year of the timeline; events spread over [`DECADES`] decades from it.
pub const FIRST_YEAR: u16 = 1800;
/// Number of list pages: one per decade.
pub const DECADES: u16 = 20;

const TAG_POOL: usize = 50;
const TRACK_POOL: usize = 5;

/// A calendar date, as annals' parser produces it (day precision here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Which list page (decade) this date belongs on.
    pub fn decade(self) -> u16 {
        (self.year - FIRST_YEAR) / 10
    }
}

/// One parsed event. Text fields are `Arc<str>` so that every mechanism can
/// hold them without copying.
#[derive(Clone, Debug)]
pub struct Event {
    pub slug: Arc<str>,
    pub title: Arc<str>,
    pub body: Arc<str>,
    pub date: Date,
    pub tags: Arc<[Arc<str>]>,
    pub track: Arc<str>,
    /// xxh3 of the event's source text, computed once by the loader.
    pub fingerprint: u64,
}

impl Event {
    /// Replaces the body and recomputes the fingerprint, as re-reading the
    /// saved file would.
    pub fn set_body(&mut self, body: String) {
        self.body = body.into();
        self.fingerprint = fingerprint(self);
    }

    /// Replaces the title and recomputes the fingerprint.
    pub fn set_title(&mut self, title: String) {
        self.title = title.into();
        self.fingerprint = fingerprint(self);
    }
}

/// The fingerprint the loader would take of the file's bytes. Hashing the
/// fields gives the same dependence on every part of the source.
pub fn fingerprint(event: &Event) -> u64 {
    let mut hasher = XxHash3_64::with_seed(0);
    event.slug.hash(&mut hasher);
    event.title.hash(&mut hasher);
    event.body.hash(&mut hasher);
    event.date.hash(&mut hasher);
    event.tags.hash(&mut hasher);
    event.track.hash(&mut hasher);
    hasher.finish()
}

/// The whole input of a build: the events in file order.
#[derive(Clone, Debug)]
pub struct Site {
    pub events: Vec<Event>,
}

/// Makes the same site every time.
pub fn generate() -> Site {
    let mut rng = Rng(0x5eed_a11a_0f0f_0001);
    let tags: Vec<Arc<str>> = (0..TAG_POOL).map(|i| Arc::from(format!("tag-{i:02}"))).collect();
    let tracks: Vec<Arc<str>> = ["politics", "science", "art", "economy", "war"]
        .iter()
        .take(TRACK_POOL)
        .map(|&t| Arc::from(t))
        .collect();
    let events = (0..EVENT_COUNT)
        .map(|i| {
            let date = Date {
                year: FIRST_YEAR + rng.below(usize::from(DECADES) * 10) as u16,
                month: 1 + rng.below(12) as u8,
                day: 1 + rng.below(28) as u8,
            };
            let event_tags: Vec<Arc<str>> = (0..3).map(|_| tags[rng.below(TAG_POOL)].clone()).collect();
            let mut event = Event {
                slug: Arc::from(format!("event-{i:05}")),
                title: title(&mut rng).into(),
                body: body(&mut rng).into(),
                date,
                tags: event_tags.into(),
                track: tracks[rng.below(TRACK_POOL)].clone(),
                fingerprint: 0,
            };
            event.fingerprint = fingerprint(&event);
            event
        })
        .collect();
    Site { events }
}

const WORDS: &[&str] = &[
    "treaty",
    "river",
    "harvest",
    "council",
    "machine",
    "letter",
    "north",
    "bridge",
    "archive",
    "signal",
    "market",
    "empire",
    "village",
    "engine",
    "charter",
    "voyage",
    "census",
    "railway",
    "festival",
    "border",
    "printing",
    "school",
    "winter",
    "garrison",
    "observatory",
    "canal",
    "strike",
    "vote",
    "museum",
    "telegraph",
    "plague",
    "reform",
    "harbour",
    "frontier",
    "assembly",
    "orchestra",
    "vaccine",
    "drought",
    "exhibition",
    "colony",
];

fn title(rng: &mut Rng) -> String {
    let mut title = String::new();
    while title.len() < 36 {
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(WORDS[rng.below(WORDS.len())]);
    }
    let mut chars = title.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// About 1,500 characters of the Markdown people write in event files:
/// paragraphs with emphasis, code and links, sometimes a list or a heading.
fn body(rng: &mut Rng) -> String {
    let mut body = String::with_capacity(1_700);
    while body.len() < 1_500 {
        match rng.below(8) {
            0 => {
                body.push_str("## ");
                body.push_str(&title(rng));
                body.push_str("\n\n");
            }
            1 => {
                for _ in 0..3 {
                    body.push_str("- ");
                    sentence(rng, &mut body);
                    body.push('\n');
                }
                body.push('\n');
            }
            _ => {
                for _ in 0..3 {
                    sentence(rng, &mut body);
                    body.push(' ');
                }
                body.push_str("\n\n");
            }
        }
    }
    body
}

fn sentence(rng: &mut Rng, out: &mut String) {
    let len = 8 + rng.below(8);
    for i in 0..len {
        if i > 0 {
            out.push(' ');
        }
        let word = WORDS[rng.below(WORDS.len())];
        match rng.below(12) {
            0 => {
                out.push('*');
                out.push_str(word);
                out.push('*');
            }
            1 => {
                out.push_str("**");
                out.push_str(word);
                out.push_str("**");
            }
            2 => {
                out.push('`');
                out.push_str(word);
                out.push('`');
            }
            3 => {
                out.push('[');
                out.push_str(word);
                out.push_str("](https://example.org/");
                out.push_str(word);
                out.push(')');
            }
            _ => out.push_str(word),
        }
    }
    out.push('.');
}

/// splitmix64: enough randomness for text, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_sized_as_asked() {
        let a = generate();
        let b = generate();
        assert_eq!(a.events.len(), EVENT_COUNT);
        assert_eq!(a.events[1234].fingerprint, b.events[1234].fingerprint);
        let mean_body = a.events.iter().map(|e| e.body.len()).sum::<usize>() / EVENT_COUNT;
        assert!((1_500..1_800).contains(&mean_body), "mean body {mean_body}");
        assert!(a.events.iter().all(|e| e.date.decade() < DECADES));
    }
}
