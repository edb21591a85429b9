//! The `annals` command: parses the command line, runs the library's
//! pipeline and prints what it reports (`cli`). The library never prints.

mod cli;

/// jemalloc rather than the system's allocator: see `Cargo.toml`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (the crate names its symbols
/// `_rjem_…`): pages freed are given back to the system after half a
/// second (not ten), and at once once they are only lazily freed, so a
/// long build does not keep every page it ever used. On Linux a thread
/// allocates from the arena of the processor it runs on, not from one of
/// four per processor: the site's files are read on more threads than
/// there are processors, and with an arena each their texts, freed in
/// another order, left 40 MB more in use at 100,000 events.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[export_name = "_rjem_malloc_conf"]
static JEMALLOC_OPTIONS: &u8 = &b"dirty_decay_ms:500,muzzy_decay_ms:0,percpu_arena:percpu\0"[0];
#[cfg(all(not(target_env = "msvc"), not(target_os = "linux")))]
#[export_name = "_rjem_malloc_conf"]
static JEMALLOC_OPTIONS: &u8 = &b"dirty_decay_ms:500,muzzy_decay_ms:0\0"[0];

fn main() -> std::process::ExitCode {
    cli::main()
}
