//! The `annals` command; everything it does lives in the library.

fn main() -> std::process::ExitCode {
    annals::cli::main()
}
