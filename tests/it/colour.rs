//! When annals colours what it prints (`--color`, docs/cli.md): `always`
//! colours even under NO_COLOR, `never` never does, and `auto` colours only
//! a terminal, and not when NO_COLOR is set. The terminal is a
//! pseudo-terminal the test holds the other end of, as a terminal window
//! holds a shell's.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::process::{Command, Stdio};

use anstyle::{AnsiColor, Style};

use crate::support::{annals, Site};

/// How annals paints the `error:` label.
const RED: Style = AnsiColor::Red.on_default().bold();

/// A site that fails to build with one error.
fn broken_site() -> Site {
    let site = Site::fixture("base");
    site.overlay("invalid_yaml");
    site
}

/// Whether `stderr` holds the `error:` label in red, and the site's error.
fn has_red_error_label(stderr: &str) -> bool {
    stderr.contains(&format!("{RED}error:{RED:#} the site has 1 error"))
}

/// A new pseudo-terminal: the end the test reads and the terminal annals
/// writes to. Both are opened close-on-exec, so a child spawned by another
/// test cannot hold the terminal open.
fn pseudo_terminal() -> (File, File) {
    let read_write = |path: &str| {
        OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(path)
            .unwrap_or_else(|error| panic!("open {path}: {error}"))
    };
    let master = read_write("/dev/ptmx");
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: a valid open descriptor, and a buffer of the length given.
    let named = unsafe {
        libc::grantpt(master.as_raw_fd()) == 0
            && libc::unlockpt(master.as_raw_fd()) == 0
            && libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len()) == 0
    };
    assert!(named, "set up the pseudo-terminal");
    // SAFETY: ptsname_r wrote a NUL-terminated name into `name`.
    let name = unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) };
    let terminal = read_write(name.to_str().expect("a UTF-8 terminal name"));
    (master, terminal)
}

/// Runs annals on `site` with stderr on a terminal, with `NO_COLOR` set to
/// `no_color` (or unset), and returns what the terminal showed.
fn stderr_on_a_terminal(site: &Site, no_color: Option<&str>, args: &[&str]) -> String {
    let (mut master, terminal) = pseudo_terminal();
    let mut command = Command::new(env!("CARGO_BIN_EXE_annals"));
    command
        .args(args)
        .current_dir(site.base())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(terminal);
    if let Some(value) = no_color {
        command.env("NO_COLOR", value);
    }
    let mut child = command.spawn().expect("run annals");
    // Only the child holds the terminal now: reading ends (EIO) when it exits.
    drop(command);
    let mut shown = Vec::new();
    let mut buffer = [0; 4096];
    while let Ok(read @ 1..) = master.read(&mut buffer) {
        shown.extend_from_slice(&buffer[..read]);
    }
    child.wait().expect("wait for annals");
    String::from_utf8(shown).expect("UTF-8 on the terminal")
}

#[test]
fn color_always_colours_the_error_label_even_when_no_color_is_set() {
    let site = broken_site();
    let root = site.root.display().to_string();
    // `annals` sets NO_COLOR=1, and stderr is a pipe.
    let run = annals(&site.base(), &["--color", "always", "check", "--root", &root]).failure();
    assert!(has_red_error_label(&run.stderr), "{run}");
}

#[test]
fn color_never_and_no_color_leave_a_pipe_without_colour() {
    let site = broken_site();
    let root = site.root.display().to_string();
    for args in [vec!["--color", "never"], vec![]] {
        let run = annals(&site.base(), &[&args[..], &["check", "--root", &root]].concat()).failure();
        assert!(run.stderr.contains("error: the site has 1 error"), "{run}");
        assert!(!run.stderr.contains('\x1b'), "{args:?}: {run}");
    }
}

#[test]
fn auto_colours_the_error_label_on_a_terminal() {
    let site = broken_site();
    let root = site.root.display().to_string();
    let shown = stderr_on_a_terminal(&site, None, &["check", "--root", &root]);
    assert!(has_red_error_label(&shown), "{shown}");
    let shown = stderr_on_a_terminal(&site, Some(""), &["check", "--root", &root]);
    assert!(has_red_error_label(&shown), "an empty NO_COLOR is not set: {shown}");
}

#[test]
fn no_color_and_color_never_leave_a_terminal_without_colour() {
    let site = broken_site();
    let root = site.root.display().to_string();
    for (no_color, colour) in [(Some("1"), "auto"), (None, "never")] {
        let shown = stderr_on_a_terminal(&site, no_color, &["--color", colour, "check", "--root", &root]);
        assert!(shown.contains("error: the site has 1 error"), "{shown}");
        assert!(
            !shown.contains('\x1b'),
            "NO_COLOR={no_color:?} --color {colour}: {shown}"
        );
    }
}
