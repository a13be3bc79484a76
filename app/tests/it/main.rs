//! The app's integration tests, one binary (each former `tests/*.rs` file is
//! a module here): linking the whole app once instead of once per file.
//! They need the server side of the app:
//!
//! ```text
//! cargo test -p app --features ssr --test it
//! ```
#![cfg(feature = "ssr")]

mod common;

mod auth;
mod catalogue_browse;
mod consultation;
mod content_import;
mod editing;
mod feedback;
mod form_parsing;
mod fuzz;
mod island_counts;
mod manage;
mod pages;
mod relevance;
mod search_input;
mod statistics;
