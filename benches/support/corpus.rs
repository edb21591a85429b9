//! A deterministic generated site for benchmarks: N events from a seed.
//!
//! Each event is a Markdown file with YAML front matter and a body of about
//! 250 words (a paragraph, a `##` heading, a list with emphasis and a link,
//! a blockquote, a closing paragraph); 1–3 tags from a pool of 50; one of
//! three tracks; dates from 1900 to 2025, mostly full days but one in twenty
//! year-only, one in twenty month-only, one in a hundred circa and one in two
//! hundred BCE. `site.yaml` declares three eras and the three tracks.

use std::fs;
use std::path::Path;

/// A small, fast, seeded random number generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: [&str; 40] = [
    "network",
    "lab",
    "paper",
    "model",
    "research",
    "award",
    "vision",
    "learning",
    "data",
    "system",
    "prize",
    "team",
    "company",
    "conference",
    "result",
    "theory",
    "machine",
    "image",
    "signal",
    "speech",
    "robot",
    "code",
    "chip",
    "memory",
    "benchmark",
    "dataset",
    "startup",
    "office",
    "university",
    "student",
    "method",
    "review",
    "release",
    "version",
    "language",
    "world",
    "agent",
    "planning",
    "energy",
    "question",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str() + ".",
        None => String::new(),
    }
}

fn date(rng: &mut Rng, index: usize) -> String {
    let year = 1900 + rng.below(126);
    match index % 20 {
        0 => format!("{}", year),
        1 => format!("{}-{:02}", year, 1 + rng.below(12)),
        2 if index % 200 == 2 => format!("{} BCE", 1 + rng.below(500)),
        3 if index % 100 == 3 => format!("c. {}", year),
        _ => format!("{}-{:02}-{:02}", year, 1 + rng.below(12), 1 + rng.below(28)),
    }
}

/// Writes a site of `events` events into `root`.
pub fn generate(root: &Path, events: usize, seed: u64) {
    let mut rng = Rng::new(seed);
    let events_dir = root.join("content/events");
    fs::create_dir_all(&events_dir).expect("create content/events");
    fs::write(
        root.join("site.yaml"),
        "title: Generated timeline\ndescription: A generated site for benchmarks.\nbase_url: https://example.org/\n\
         eras:\n  - title: Early century\n    start: 1900\n    end: 1945\n  - title: Post-war\n    start: 1946\n    end: 1989\n  - title: Digital age\n    start: 1990\n    end: ..\n\
         tracks:\n  - id: research\n    title: Research\n    colour: \"#1d6fa5\"\n  - id: industry\n    title: Industry\n    colour: \"#b3401b\"\n  - id: policy\n    title: Policy\n    colour: \"#00796b\"\n",
    )
    .expect("write site.yaml");
    fs::write(
        root.join("content/_index.md"),
        "---\ntitle: A generated timeline\n---\nIntro text.\n",
    )
    .expect("intro");
    let tracks = ["research", "industry", "policy"];
    for index in 0..events {
        let tag_count = 1 + rng.below(3);
        let tags: Vec<String> = (0..tag_count).map(|_| format!("tag-{}", rng.below(50))).collect();
        let mut body = String::new();
        body.push_str(&sentence(&mut rng, 30));
        body.push_str("\n\n## Background\n\n");
        for _ in 0..3 {
            body.push_str(&sentence(&mut rng, 25));
            body.push(' ');
        }
        body.push_str("\n\n- ");
        body.push_str(&sentence(&mut rng, 8));
        body.push_str("\n- *");
        body.push_str(&sentence(&mut rng, 8));
        body.push_str("*\n- [a link](https://example.org/source)\n\n> ");
        body.push_str(&sentence(&mut rng, 30));
        body.push_str("\n\n");
        for _ in 0..5 {
            body.push_str(&sentence(&mut rng, 20));
            body.push(' ');
        }
        body.push('\n');
        let text = format!(
            "---\ntitle: \"Event {index}: {}\"\ndate: {}\ntrack: {}\ntags: [{}]\nimportance: {}\nsources:\n  - title: Source {index}\n    url: https://example.org/{index}\n---\n{body}",
            sentence(&mut rng, 4).trim_end_matches('.'),
            date(&mut rng, index),
            tracks[index % 3],
            tags.join(", "),
            1 + rng.below(5),
        );
        fs::write(events_dir.join(format!("event-{index:06}.md")), text).expect("write event");
    }
}
