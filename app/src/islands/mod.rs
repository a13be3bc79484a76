//! The visitors' islands: the few parts of public pages that run as
//! WebAssembly in the browser (`frontend-visitors` builds them into the
//! visitors' bundle; `navigator.js` loads it after the page is usable).
//!
//! They are *lean* (see ARCHITECTURE.md, "Lean islands"): no props (the
//! server renders the markup and passes it as `children`), no serde in the
//! browser except where a server function needs it, and only what changes is
//! touched. Each island works on the markup the server rendered, so the page
//! does everything without them; they make it instant.
//!
//! A component here is an `#[island]` in the builds that carry it (the
//! server, and the visitors' bundle: feature `visitor-islands`) and a plain
//! component elsewhere, so the editors' bundle exports none of them.

pub mod feedback;
pub mod filter;

pub use feedback::FeedbackSteps;
pub use filter::CatalogueFilter;
