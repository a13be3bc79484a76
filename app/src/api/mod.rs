//! Server functions, grouped by domain. Each is thin: authorise (where it
//! applies), validate, call a `db` function, map the error.

pub mod admin;
pub mod catalogue;
pub mod consultation;
pub mod explore;
pub mod factor;
pub mod feedback;
pub mod links;
pub mod manage;
pub mod pages;
pub mod statistics;
pub mod synonyms;
pub mod texts;
