//! Background jobs, each also a CLI command: the hourly purge, the link
//! checker (with the guard on what it may connect to) and the editors'
//! e-mail digest.

pub mod digest;
pub mod link_guard;
pub mod links;
pub mod purge;
