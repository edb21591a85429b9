//! Full-build speed and memory on generated sites, against the I/O floor and
//! against Hugo.
//!
//! `cargo bench --bench build` prints a table and asserts nothing. For each
//! size it generates a site (`support/corpus.rs`, seed 42) in a temporary
//! folder and times the release binary, each figure the median of several
//! runs:
//!
//! - cold: `annals build` into a new output folder;
//! - no-op: the same build again into that folder, nothing changed;
//! - one event: again, after adding a sentence to one event's body;
//! - floor: `cat` every input file to /dev/null, then `cp -r` the built
//!   output folder to a new place — what any generator must at least do;
//! - hugo: when `hugo` is on PATH, the same events as a Hugo site
//!   (`support/hugo.rs`) built into a new folder, alternating with the cold
//!   annals build (annals, hugo, annals, hugo…) so both see the same machine.
//!
//! Every run writes into new folders, all removed at the end of a size, so
//! no run pays for deleting the previous one's files.
//!
//! Sizes: `--sizes 1000,10000,100000` or `ANNALS_BENCH_SIZES`, default 1,000
//! and 10,000. Runs: `--runs N`, default 5 (3 from 100,000 events).
//! `ANNALS_BENCH_QUICK=1` (or `--quick`) runs 1,000 events once, for CI.
//! `ANNALS_BENCH_KEEP=1` keeps the generated sites (annals and Hugo) and
//! says where; otherwise everything is written under a temporary folder that
//! is removed at the end.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/hugo.rs"]
mod hugo;
#[path = "support/measure.rs"]
mod measure;

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};

use measure::{median, Sample};

const SEED: u64 = 42;

struct Options {
    sizes: Vec<usize>,
    /// Runs per figure; `None` picks by size.
    runs: Option<usize>,
}

fn options() -> Result<Options, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|arg| arg == "--quick") || std::env::var_os("ANNALS_BENCH_QUICK").is_some();
    // `cargo bench` adds `--bench`; anything else unknown is ignored too, so
    // filters meant for other bench targets do not break this one.
    let value = |name: &str| {
        let prefix = format!("{name}=");
        args.iter()
            .enumerate()
            .find_map(|(i, arg)| match arg.strip_prefix(&prefix) {
                Some(value) => Some(value.to_string()),
                None if arg == name => args.get(i + 1).cloned(),
                None => None,
            })
    };
    let list = |text: &str| -> Result<Vec<usize>, String> {
        text.split(',')
            .map(|size| {
                let size = size.trim().replace('_', "");
                size.parse().map_err(|_| format!("not a number of events: {size:?}"))
            })
            .collect()
    };
    if quick {
        return Ok(Options {
            sizes: vec![1000],
            runs: Some(1),
        });
    }
    let sizes = match value("--sizes").or_else(|| std::env::var("ANNALS_BENCH_SIZES").ok()) {
        Some(text) => list(&text)?,
        None => vec![1000, 10_000],
    };
    let runs = match value("--runs") {
        Some(text) => Some(
            text.parse()
                .map_err(|_| format!("--runs takes a number, not {text:?}"))?,
        ),
        None => None,
    };
    Ok(Options {
        sizes,
        runs: runs.map(|runs: usize| runs.max(1)),
    })
}

/// The medians for one size.
struct Row {
    size: usize,
    cold: f64,
    peak_mib: Option<f64>,
    no_op: f64,
    one_event: f64,
    floor: f64,
    hugo: Option<(f64, Option<f64>)>,
    outputs: Outputs,
}

/// What each generator wrote, so the ratio can be read against the work.
#[derive(Default)]
struct Outputs {
    annals: (usize, u64),
    hugo: Option<(usize, u64)>,
}

fn annals_build(site: &Path, out: &Path) -> Result<Sample, String> {
    let annals = OsStr::new(env!("CARGO_BIN_EXE_annals"));
    let args = [
        OsStr::new("--quiet"),
        OsStr::new("--color"),
        OsStr::new("never"),
        OsStr::new("build"),
        OsStr::new("--root"),
        site.as_os_str(),
        OsStr::new("--output"),
        out.as_os_str(),
    ];
    measure::run(annals, &args)
}

fn hugo_build(site: &Path, out: &Path) -> Result<Sample, String> {
    let args = [
        OsStr::new("--quiet"),
        OsStr::new("--source"),
        site.as_os_str(),
        OsStr::new("--destination"),
        out.as_os_str(),
    ];
    measure::run(OsStr::new("hugo"), &args)
}

/// Reads every input file and copies a built output folder: the I/O any
/// generator has to do, with no parsing or rendering.
fn io_floor(site: &Path, built: &Path, copy: &Path) -> Result<Sample, String> {
    let script = r#"find "$1" -type f -exec cat {} + > /dev/null && cp -r "$2" "$3""#;
    let args = [
        OsStr::new("-c"),
        OsStr::new(script),
        OsStr::new("sh"),
        site.as_os_str(),
        built.as_os_str(),
        copy.as_os_str(),
    ];
    measure::run(OsStr::new("sh"), &args)
}

/// Files and bytes under `folder`.
fn tree_size(folder: &Path) -> (usize, u64) {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .fold((0, 0), |(files, bytes), entry| {
            (files + 1, bytes + entry.metadata().map_or(0, |meta| meta.len()))
        })
}

fn bench_size(size: usize, runs: usize, with_hugo: bool) -> Result<Row, String> {
    let work = tempfile::tempdir().map_err(|error| format!("temporary folder: {error}"))?;
    let site = work.path().join("site");
    eprintln!("{size} events: generating the site");
    corpus::generate(&site, size, SEED);
    let hugo_site = work.path().join("hugo-site");
    if with_hugo {
        hugo::generate(&site, &hugo_site);
    }
    let edited = site.join(format!("content/events/event-{:06}.md", size / 2));
    let original = fs::read_to_string(&edited).map_err(|error| format!("{}: {error}", edited.display()))?;

    let (mut cold, mut peak, mut no_op, mut one_event, mut floor) = (vec![], vec![], vec![], vec![], vec![]);
    let (mut hugo_times, mut hugo_peak) = (vec![], vec![]);
    let mut outputs = Outputs::default();
    for run in 0..runs {
        eprintln!("{size} events: run {} of {runs}", run + 1);
        let out = work.path().join(format!("annals-{run}"));
        let sample = annals_build(&site, &out)?;
        cold.push(sample.seconds);
        peak.extend(sample.peak_mib);

        if with_hugo {
            let hugo_out = work.path().join(format!("hugo-{run}"));
            let sample = hugo_build(&hugo_site, &hugo_out)?;
            hugo_times.push(sample.seconds);
            hugo_peak.extend(sample.peak_mib);
            if run == 0 {
                let pages = fs::read_dir(hugo_out.join("events")).map_or(0, |entries| entries.count());
                if pages != size {
                    eprintln!("warning: Hugo built {pages} event pages for {size} events");
                }
                outputs.hugo = Some(tree_size(&hugo_out));
            }
        }

        no_op.push(annals_build(&site, &out)?.seconds);

        let text = format!("{} Edit number {run}.\n", original.trim_end());
        fs::write(&edited, text).map_err(|error| format!("{}: {error}", edited.display()))?;
        one_event.push(annals_build(&site, &out)?.seconds);
        fs::write(&edited, &original).map_err(|error| format!("{}: {error}", edited.display()))?;

        let copy = work.path().join(format!("floor-{run}"));
        floor.push(io_floor(&site, &out, &copy)?.seconds);
        if run == 0 {
            outputs.annals = tree_size(&out);
        }
    }
    // Output folders are removed only now: deleting thousands of files
    // between runs slows the next run's file creation on some file systems
    // (ext4 skips recently freed inodes), which would tilt the comparison.
    if std::env::var_os("ANNALS_BENCH_KEEP").is_some() {
        eprintln!("{size} events: kept the generated sites in {}", work.keep().display());
    }
    Ok(Row {
        size,
        cold: median(cold),
        peak_mib: (!peak.is_empty()).then(|| median(peak)),
        no_op: median(no_op),
        one_event: median(one_event),
        floor: median(floor),
        hugo: with_hugo.then(|| (median(hugo_times), (!hugo_peak.is_empty()).then(|| median(hugo_peak)))),
        outputs,
    })
}

fn hugo_version() -> Option<String> {
    let output = Command::new("hugo").arg("version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| text.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
}

fn mib(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |mib| format!("{mib:.0}"))
}

const HEADER: [&str; 10] = [
    "size",
    "annals cold (s)",
    "peak RSS (MiB)",
    "no-op (s)",
    "one-event (s)",
    "floor (s)",
    "annals/floor",
    "hugo (s)",
    "hugo RSS (MiB)",
    "annals/hugo",
];

fn print_row(cells: &[String]) {
    let widths = HEADER.map(|title| title.len().max(6));
    let line: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| format!("{cell:>width$}"))
        .collect();
    println!("| {} |", line.join(" | "));
}

fn print_table_row(row: &Row) {
    let (hugo, hugo_rss, ratio) = match row.hugo {
        Some((seconds, peak)) => (format!("{seconds:.2}"), mib(peak), format!("{:.2}", row.cold / seconds)),
        None => ("—".to_string(), "—".to_string(), "—".to_string()),
    };
    print_row(&[
        row.size.to_string(),
        format!("{:.2}", row.cold),
        mib(row.peak_mib),
        format!("{:.2}", row.no_op),
        format!("{:.2}", row.one_event),
        format!("{:.2}", row.floor),
        format!("{:.1}", row.cold / row.floor),
        hugo,
        hugo_rss,
        ratio,
    ]);
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let hugo = hugo_version();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("annals build benchmark: {cores} cores, medians of the runs below");
    match &hugo {
        Some(version) => println!("compared with {version} (runs alternate annals, hugo)"),
        None => println!("hugo is not on PATH: no comparison"),
    }
    if !Path::new("/usr/bin/time").exists() {
        println!("/usr/bin/time is missing: no memory figures");
    }
    println!();
    print_row(&HEADER.map(String::from));
    print_row(&HEADER.map(|cell| format!("{:->width$}", ":", width = cell.len())));

    let mut rows = Vec::new();
    let mut failed = false;
    for &size in &options.sizes {
        let runs = options.runs.unwrap_or(if size >= 100_000 { 3 } else { 5 });
        match bench_size(size, runs, hugo.is_some()) {
            Ok(row) => {
                print_table_row(&row);
                rows.push((row, runs));
            }
            Err(message) => {
                failed = true;
                eprintln!("{size} events: {message}");
                println!("| {size} | failed: see the error above |");
            }
        }
    }

    println!();
    println!("runs per size, and what each build wrote (files, MiB):");
    for (row, runs) in &rows {
        let (files, bytes) = row.outputs.annals;
        let hugo = row.outputs.hugo.map_or(String::new(), |(files, bytes)| {
            format!("; hugo {files} files, {:.0} MiB", bytes as f64 / 1048576.0)
        });
        println!(
            "  {}: {runs} runs; annals {files} files, {:.0} MiB{hugo}",
            row.size,
            bytes as f64 / 1048576.0
        );
    }
    println!("Live-preview latency (save → reload) is `cargo bench --bench preview`.");
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
