//! Writes a generated site for benchmarks and scale tests:
//! `cargo run --release --example corpus -- DIR [EVENTS] [SEED]`.

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: corpus DIR [EVENTS=10000] [SEED=42]");
        std::process::exit(2);
    };
    let events = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let seed = args.next().and_then(|n| n.parse().ok()).unwrap_or(42);
    corpus::generate(std::path::Path::new(&dir), events, seed);
    println!("wrote {events} events to {dir}");
}
