//! Serving HTTP around the router: the listener, the layers that refuse or
//! shape requests and answers (malformed targets, security headers and the
//! CSP nonce, server functions' statuses) and the rendered-page cache.

pub mod listener;
pub mod page_cache;
pub mod requests;
pub mod security;
pub mod server_fns;
