//! What the router mounts beside Leptos' pages: the form handlers (one
//! module per page family, built from the form kit in `forms`), the feeds
//! and exports, the search suggestions and the statistics' beacon.

pub mod auth;
pub mod consultation;
pub mod editor;
pub mod factor;
pub mod feedback;
pub mod feeds;
pub mod forms;
pub mod links;
pub mod manage;
pub mod media;
pub mod pages;
pub mod stats;
pub mod suggest;
