//! The server's integration tests, one binary (each former `tests/*.rs` file
//! is a module here): linking the whole site once instead of once per file.
//! `router` holds what was `tests/server.rs` (a module named `server` would
//! shadow the `server` crate).

mod common;

mod content_pages;
mod digest;
mod hardening;
mod illustrations;
mod injection;
mod links;
mod media;
mod media_content;
mod media_downloads;
mod router;
mod search;
mod security_review;
