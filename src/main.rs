//! The `annals` command: parses the command line, runs the library's
//! pipeline and prints what it reports (`cli`). The library never prints.

mod cli;

/// mimalloc rather than the system's allocator: see `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
