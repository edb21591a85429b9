//! Times one command the way the build bench times everything: wall time
//! seen from here, after a `sync`; peak resident memory from GNU
//! `/usr/bin/time -f %M`.
//!
//! The memory figure is the kernel's `ru_maxrss` for the command: the peak
//! resident set of the largest single process it ran. Without
//! `/usr/bin/time` the command runs bare and only the time is known.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const TIME: &str = "/usr/bin/time";

/// One timed run.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub seconds: f64,
    /// Peak resident memory in MiB, when `/usr/bin/time` is there to ask.
    pub peak_mib: Option<f64>,
}

/// Runs `program` with `args` to completion and times it; a failure comes
/// back as the command line with the end of its error output.
pub fn run(program: &OsStr, args: &[&OsStr]) -> Result<Sample, String> {
    let report = tempfile::NamedTempFile::new().map_err(|error| format!("temporary file: {error}"))?;
    let with_time = Path::new(TIME).exists();
    let mut command = if with_time {
        let mut command = Command::new(TIME);
        command.args(["-f", "%M", "-o"]).arg(report.path()).arg(program);
        command
    } else {
        Command::new(program)
    };
    command.args(args);
    // Start from clean page-cache writeback, so that flushing the previous
    // run's output (hundreds of MiB) is not billed to this one.
    let _ = Command::new("sync").status();
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|error| format!("cannot run {}: {error}", program.to_string_lossy()))?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        let line: Vec<String> = std::iter::once(program)
            .chain(args.iter().copied())
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        return Err(format!(
            "`{}` failed ({}):\n{}",
            line.join(" "),
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    let peak_mib = with_time
        .then(|| fs::read_to_string(report.path()).ok())
        .flatten()
        .and_then(|text| text.lines().last()?.trim().parse::<f64>().ok())
        .map(|kib| kib / 1024.0);
    Ok(Sample { seconds, peak_mib })
}

/// The middle value (the upper middle for an even count); NaN when empty.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
