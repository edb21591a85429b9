//! Runs the five measurements against one mechanism, and prints the table.
//!
//! Every timed rebuild includes telling the mechanism what changed (only
//! salsa needs it), asking it for all 10,000 event views and all list pages,
//! and its end-of-build eviction. Edits to the site happen before the timer
//! starts, as the loader's re-read and fingerprinting of the saved file would.
//! Each build is compared with one made without any memo.

use std::time::{Duration, Instant};

use crate::alloc::live_bytes;
use crate::derive::{self, Build};
use crate::events::{Site, DECADES, EVENT_COUNT};

/// The event that the edit measurements change.
const EDITED: usize = 4_321;

/// One way of memoizing the derived values of a site.
pub trait Mechanism: Sized {
    /// Its name in the table.
    const NAME: &'static str;
    /// Sets it up, with nothing memoized.
    fn new(site: &Site) -> Self;
    /// Event `index` of `site` has just been re-read.
    fn event_changed(&mut self, site: &Site, index: usize);
    /// Starts a new revision with nothing changed, if the mechanism has
    /// revisions; says whether it has.
    fn new_revision(&mut self) -> bool {
        false
    }
    /// Every event view and list page of `site`.
    fn build(&mut self, site: &Site) -> Build;
}

/// No memo at all: every build computes everything.
pub struct NoMemo;

impl Mechanism for NoMemo {
    const NAME: &'static str = "no memo (baseline)";

    fn new(_: &Site) -> Self {
        Self
    }

    fn event_changed(&mut self, _: &Site, _: usize) {}

    fn build(&mut self, site: &Site) -> Build {
        derive::build_from_scratch(site)
    }
}

/// The sorted times of one measurement, and what its last run recomputed.
pub struct Sample {
    times: Vec<Duration>,
    views: usize,
    pages: usize,
}

impl Sample {
    fn median(&self) -> Duration {
        self.times[self.times.len() / 2]
    }
}

/// All measurements of one mechanism.
pub struct Report {
    name: &'static str,
    cold: Sample,
    warm: Sample,
    new_revision: Option<Sample>,
    body: Sample,
    title: Sample,
    memo_bytes: usize,
}

/// What to do before each timed rebuild.
enum Step {
    Nothing,
    NewRevision,
    EditBody,
    EditTitle,
}

/// Measures `M` on `base`, each measurement `runs` times.
pub fn measure<M: Mechanism>(base: &Site, runs: usize) -> Report {
    let reference = derive::build_from_scratch(base);
    let mut cold = Vec::new();
    let mut memo_bytes = 0;
    let mut counts = (0, 0);
    for run in 0..runs {
        derive::take_counts();
        let before = live_bytes();
        let start = Instant::now();
        let mut mechanism = M::new(base);
        let build = mechanism.build(base);
        cold.push(start.elapsed());
        counts = derive::take_counts();
        assert!(build == reference, "{}: cold build differs", M::NAME);
        drop(build);
        if run == 0 {
            // Whatever is still allocated is held by the mechanism.
            memo_bytes = live_bytes().saturating_sub(before);
        }
    }
    cold.sort();
    let cold = Sample {
        times: cold,
        views: counts.0,
        pages: counts.1,
    };

    let mut site = base.clone();
    let mut mechanism = M::new(&site);
    drop(mechanism.build(&site));
    let warm = rebuilds(&mut mechanism, &mut site, runs, Step::Nothing);
    let new_revision = if mechanism.new_revision() {
        Some(rebuilds(&mut mechanism, &mut site, runs, Step::NewRevision))
    } else {
        None
    };
    let body = rebuilds(&mut mechanism, &mut site, runs, Step::EditBody);
    let title = rebuilds(&mut mechanism, &mut site, runs, Step::EditTitle);
    Report {
        name: M::NAME,
        cold,
        warm,
        new_revision,
        body,
        title,
        memo_bytes,
    }
}

fn rebuilds<M: Mechanism>(mechanism: &mut M, site: &mut Site, runs: usize, step: Step) -> Sample {
    let original = site.events[EDITED].clone();
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    let mut counts = (0, 0);
    for run in 0..runs {
        // Each edit makes text the memo has not seen, so each is a real change.
        match step {
            Step::EditBody => site.events[EDITED].set_body(format!("{}\nEdited in run {run}.\n", original.body)),
            Step::EditTitle => site.events[EDITED].set_title(format!("{} ({run})", original.title)),
            Step::Nothing | Step::NewRevision => {}
        }
        drop(last.take());
        derive::take_counts();
        let start = Instant::now();
        match step {
            Step::EditBody | Step::EditTitle => mechanism.event_changed(site, EDITED),
            Step::NewRevision => {
                mechanism.new_revision();
            }
            Step::Nothing => {}
        }
        last = Some(mechanism.build(site));
        times.push(start.elapsed());
        counts = derive::take_counts();
    }
    assert!(
        last == Some(derive::build_from_scratch(site)),
        "{}: rebuild differs",
        M::NAME
    );
    derive::take_counts();
    times.sort();
    Sample {
        times,
        views: counts.0,
        pages: counts.1,
    }
}

/// Bytes of all event views and list pages themselves, without any memo.
pub fn value_bytes(site: &Site) -> usize {
    let before = live_bytes();
    let build = derive::build_from_scratch(site);
    let bytes = live_bytes().saturating_sub(before);
    derive::take_counts();
    drop(build);
    bytes
}

/// Prints the medians, then the spread and what each measurement recomputed.
pub fn print(reports: &[Report], value_bytes: usize, runs: usize) {
    println!(
        "{} events, {} list pages; median of {runs} runs; values themselves hold {:.1} MiB\n",
        EVENT_COUNT,
        DECADES,
        mib(value_bytes)
    );
    println!(
        "| {:<25} | {:>10} | {:>10} | {:>14} | {:>10} | {:>10} | {:>10} | {:>13} |",
        "mechanism", "(a) cold", "(b) warm", "(b') new rev.", "(c) body", "(d) title", "(e) memo", "memo − values"
    );
    println!(
        "|{:-<27}|{:->12}|{:->12}|{:->16}|{:->12}|{:->12}|{:->12}|{:->15}|",
        "", "", "", "", "", "", "", ""
    );
    for r in reports {
        let new_revision = r.new_revision.as_ref().map_or("—".to_owned(), |s| ms(s.median()));
        let memo = if r.name == NoMemo::NAME {
            "—".to_owned()
        } else {
            format!("{:.1} MiB", mib(r.memo_bytes))
        };
        let overhead = if r.name == NoMemo::NAME {
            "—".to_owned()
        } else {
            format!("{:.1} MiB", mib(r.memo_bytes) - mib(value_bytes))
        };
        println!(
            "| {:<25} | {:>10} | {:>10} | {:>14} | {:>10} | {:>10} | {:>10} | {:>13} |",
            r.name,
            ms(r.cold.median()),
            ms(r.warm.median()),
            new_revision,
            ms(r.body.median()),
            ms(r.title.median()),
            memo,
            overhead
        );
    }
    println!("\nmin … max, and (event views, list pages) computed in the last run:\n");
    for r in reports {
        let mut line = format!("{:<25}", r.name);
        let samples = [
            ("a", Some(&r.cold)),
            ("b", Some(&r.warm)),
            ("b'", r.new_revision.as_ref()),
        ];
        for (label, s) in samples.into_iter().chain([("c", Some(&r.body)), ("d", Some(&r.title))]) {
            if let Some(s) = s {
                let (min, max) = (s.times[0], s.times[s.times.len() - 1]);
                line.push_str(&format!(" {label}: {}…{} ({},{})", ms(min), ms(max), s.views, s.pages));
            }
        }
        println!("{line}");
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
