//! The binary allocates with jemalloc, with the options `src/main.rs`
//! gives it. jemalloc reads them from a symbol whose name depends on how
//! the crate built it, and ignores a symbol of the wrong name without a
//! word, so this asks jemalloc itself: with `_RJEM_MALLOC_CONF` set to
//! `stats_print:true` it prints its options when the program ends.

use std::process::Command;

#[cfg(not(target_env = "msvc"))]
#[test]
fn the_binary_runs_on_jemalloc_with_the_options_it_sets() {
    let output = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .expect("run annals");
    assert!(output.status.success());
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut options = vec!["opt.dirty_decay_ms: 500", "opt.muzzy_decay_ms: 0"];
    if cfg!(target_os = "linux") {
        options.push("opt.percpu_arena: \"percpu\"");
    }
    for option in options {
        assert!(
            printed.contains(option),
            "jemalloc does not report `{option}`:\n{printed}"
        );
    }
}
