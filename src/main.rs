//! The `annals` command: parses the command line, runs the library's
//! pipeline and prints what it reports (`cli`). The library never prints.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
