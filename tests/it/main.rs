//! The integration tests: one binary that runs the real `annals` on sites
//! copied into temp dirs (see `support`), with a fixture folder per case
//! under `tests/fixtures/`.

mod errors;
mod example;
mod safety;
mod support;
