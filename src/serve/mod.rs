//! `annals serve`: the live preview.
pub mod classify;
pub mod debounce;
