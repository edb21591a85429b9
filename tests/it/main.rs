//! The integration tests: one binary that runs the real `annals` on sites
//! copied into temp dirs (see `support`), with a fixture folder per case
//! under `tests/fixtures/`. `serve` and `browser` run `annals serve` and
//! talk to it over raw HTTP and through headless Chromium, and `serve_safety`
//! sends it what misbehaving clients send; `theme`, `theme_static`, `story` and `story_embed` read the
//! built example in Chromium, with and without JavaScript, and `overview` its
//! overview at a phone's and a desktop's width; `scale` checks a generated
//! 2,000-event site.

mod allocator;
mod architecture;
mod authoring;
mod browser;
mod colour;
mod errors;
mod errors_in_one_run;
mod escaping;
mod example;
mod folders;
mod from_disk;
mod fuzz_regressions;
mod hostile;
mod import_media;
mod incremental;
mod inputs;
mod languages;
mod output_folder;
mod output_text;
mod overview;
mod safety;
mod scale;
mod schema;
mod search;
mod serve;
mod serve_safety;
mod story;
mod story_embed;
mod styling;
mod support;
mod theme;
mod theme_contract;
mod theme_static;
mod timelinejs;
mod watcher;
mod words;
