//! Runs the five measurements against one mechanism, and prints the table.
//!
//! Every timed build includes telling the mechanism what changed (only salsa
//! needs it), asking it for all 10,000 event views, then for all list pages,
//! then its end-of-build eviction; the two middle parts are also timed on
//! their own. Edits to the site happen before the timer starts, as the
//! loader's re-read and fingerprinting of the saved file would. Each build is
//! compared with one made without any memo.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::alloc::live_bytes;
use crate::derive::{self, Build, EventView};
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
    fn event_changed(&mut self, _site: &Site, _index: usize) {}
    /// Starts a new revision with nothing changed, if the mechanism has
    /// revisions; says whether it has.
    fn new_revision(&mut self) -> bool {
        false
    }
    /// Every event view of `site`.
    fn views(&mut self, site: &Site) -> Vec<Arc<EventView>>;
    /// Every list page of `site`.
    fn pages(&mut self, site: &Site) -> Vec<Arc<String>>;
    /// The build is over: forget what it did not use.
    fn end_build(&mut self) {}
}

/// No memo at all: every build computes everything.
pub struct NoMemo;

impl Mechanism for NoMemo {
    const NAME: &'static str = "no memo (baseline)";

    fn new(_: &Site) -> Self {
        Self
    }

    fn views(&mut self, site: &Site) -> Vec<Arc<EventView>> {
        derive::views_from_scratch(site)
    }

    fn pages(&mut self, site: &Site) -> Vec<Arc<String>> {
        derive::pages_from_scratch(site)
    }
}

/// How long one build took, in all and in its two main parts, and the CPU
/// time this thread spent on it (which other processes on a shared machine
/// disturb less than the wall-clock time).
#[derive(Clone, Copy)]
struct Times {
    total: Duration,
    views: Duration,
    pages: Duration,
    cpu: Duration,
}

/// The times of one measurement, and what its last run recomputed.
pub struct Sample {
    times: Vec<Times>,
    views_computed: usize,
    pages_computed: usize,
}

impl Sample {
    fn median(&self, part: impl Fn(&Times) -> Duration) -> Duration {
        let mut parts: Vec<Duration> = self.times.iter().map(part).collect();
        parts.sort();
        parts[parts.len() / 2]
    }

    fn range(&self) -> (Duration, Duration) {
        let totals = self.times.iter().map(|t| t.total);
        (
            totals.clone().min().unwrap_or_default(),
            totals.max().unwrap_or_default(),
        )
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

/// What happens before each timed build.
#[derive(Clone, Copy)]
enum Step {
    Nothing,
    NewRevision,
    EditBody,
    EditTitle,
}

/// Measures `M` on `base`, each measurement `runs` times.
pub fn measure<M: Mechanism>(base: &Site, runs: usize) -> Report {
    let reference = derive::build_from_scratch(base);
    let mut times = Vec::with_capacity(runs);
    let mut memo_bytes = 0;
    let mut computed = (0, 0);
    for run in 0..runs {
        derive::take_counts();
        let before = live_bytes();
        let cpu = thread_cpu_time();
        let start = Instant::now();
        let mut mechanism = M::new(base);
        let setup = start.elapsed();
        let (build, mut run_times) = timed_build(&mut mechanism, base);
        run_times.cpu = thread_cpu_time().saturating_sub(cpu);
        run_times.total += setup;
        run_times.views += setup;
        times.push(run_times);
        computed = derive::take_counts();
        assert!(build == reference, "{}: cold build differs", M::NAME);
        drop(build);
        if run == 0 {
            // Whatever is still allocated is held by the mechanism.
            memo_bytes = live_bytes().saturating_sub(before);
        }
    }
    let cold = Sample {
        times,
        views_computed: computed.0,
        pages_computed: computed.1,
    };

    let mut site = base.clone();
    let mut mechanism = M::new(&site);
    drop(timed_build(&mut mechanism, &site));
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
    let mut computed = (0, 0);
    for run in 0..runs {
        // Each edit makes text the memo has not seen, so each is a real change.
        match step {
            Step::EditBody => site.events[EDITED].set_body(format!("{}\nEdited in run {run}.\n", original.body)),
            Step::EditTitle => site.events[EDITED].set_title(format!("{} ({run})", original.title)),
            Step::Nothing | Step::NewRevision => {}
        }
        drop(last.take());
        derive::take_counts();
        let cpu = thread_cpu_time();
        let start = Instant::now();
        match step {
            Step::EditBody | Step::EditTitle => mechanism.event_changed(site, EDITED),
            Step::NewRevision => {
                mechanism.new_revision();
            }
            Step::Nothing => {}
        }
        let before_build = start.elapsed();
        let (build, mut run_times) = timed_build(mechanism, site);
        run_times.cpu = thread_cpu_time().saturating_sub(cpu);
        run_times.total += before_build;
        run_times.views += before_build;
        times.push(run_times);
        computed = derive::take_counts();
        last = Some(build);
    }
    assert!(
        last == Some(derive::build_from_scratch(site)),
        "{}: rebuild differs",
        M::NAME
    );
    derive::take_counts();
    Sample {
        times,
        views_computed: computed.0,
        pages_computed: computed.1,
    }
}

fn timed_build<M: Mechanism>(mechanism: &mut M, site: &Site) -> (Build, Times) {
    let start = Instant::now();
    let views = mechanism.views(site);
    let views_done = start.elapsed();
    let pages = mechanism.pages(site);
    let pages_done = start.elapsed();
    mechanism.end_build();
    let times = Times {
        total: start.elapsed(),
        views: views_done,
        pages: pages_done - views_done,
        cpu: Duration::ZERO,
    };
    (Build { views, pages }, times)
}

/// CPU time this thread has used so far.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant
    // that Linux knows.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    if ok {
        Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
    } else {
        Duration::ZERO
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

/// Prints the medians, then their parts, spread and recomputations.
pub fn print(reports: &[Report], value_bytes: usize, runs: usize) {
    println!(
        "{EVENT_COUNT} events, {DECADES} list pages; median of {runs} runs; the values themselves hold {:.1} MiB\n",
        mib(value_bytes)
    );
    println!("Wall-clock time (what a person waits for):\n");
    table(reports, value_bytes, |t| t.total);
    println!("\nCPU time of the measuring thread (steadier when other work shares the machine):\n");
    table(reports, value_bytes, |t| t.cpu);

    println!("\nEach measurement: median of the event-views part + median of the list-pages part,");
    println!("min…max of the total (wall clock), median CPU time, and [event views, list pages]");
    println!("computed in its last run.\n");
    for r in reports {
        println!("{}", r.name);
        let samples = [
            ("a", Some(&r.cold)),
            ("b", Some(&r.warm)),
            ("b'", r.new_revision.as_ref()),
        ];
        for (label, s) in samples.into_iter().chain([("c", Some(&r.body)), ("d", Some(&r.title))]) {
            let Some(s) = s else { continue };
            let (min, max) = s.range();
            println!(
                "  {label:<2} views {:>10} + pages {:>10}   total {:>10} … {:>10}   cpu {:>10}   [{}, {}]",
                ms(s.median(|t| t.views)),
                ms(s.median(|t| t.pages)),
                ms(min),
                ms(max),
                ms(s.median(|t| t.cpu)),
                s.views_computed,
                s.pages_computed,
            );
        }
    }

    println!("\nCost of an unchanged value in (b) warm, and (b') for mechanisms with revisions:");
    for r in reports.iter().filter(|r| r.name != NoMemo::NAME) {
        let per_value = |s: &Sample| {
            format!(
                "{:>6.0} ns per event view, {:>6.1} µs per list page",
                s.median(|t| t.views).as_secs_f64() * 1e9 / EVENT_COUNT as f64,
                s.median(|t| t.pages).as_secs_f64() * 1e6 / f64::from(DECADES)
            )
        };
        println!("  {:<25} (b)  {}", r.name, per_value(&r.warm));
        if let Some(s) = &r.new_revision {
            println!("  {:<25} (b') {}", "", per_value(s));
        }
    }
}

/// One row per mechanism: the median of `part` for each measurement, and the
/// memory its memo holds.
fn table(reports: &[Report], value_bytes: usize, part: fn(&Times) -> Duration) {
    let header = [
        "(a) cold",
        "(b) warm",
        "(b') new rev.",
        "(c) body",
        "(d) title",
        "(e) memo",
        "memo − values",
    ];
    println!(
        "| {:<25} | {} |",
        "mechanism",
        header.map(|h| format!("{h:>13}")).join(" | ")
    );
    println!("|{:-<27}|{}", "", ["-"; 7].map(|_| format!("{:-<14}:|", "")).join(""));
    for r in reports {
        let memo = (r.name != NoMemo::NAME).then_some(r.memo_bytes);
        let cells = [
            Some(ms(r.cold.median(part))),
            Some(ms(r.warm.median(part))),
            r.new_revision.as_ref().map(|s| ms(s.median(part))),
            Some(ms(r.body.median(part))),
            Some(ms(r.title.median(part))),
            memo.map(|b| format!("{:.1} MiB", mib(b))),
            memo.map(|b| format!("{:.1} MiB", mib(b) - mib(value_bytes))),
        ];
        let cells = cells.map(|c| format!("{:>13}", c.unwrap_or_else(|| "—".to_owned())));
        println!("| {:<25} | {} |", r.name, cells.join(" | "));
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
