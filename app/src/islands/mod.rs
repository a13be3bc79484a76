//! The islands written lean: the visitors' (the few parts of public pages
//! that run as WebAssembly in the browser; `frontend-visitors` builds them
//! into the visitors' bundle, `navigator.js` loads it after the page is
//! usable), and two small ones of the editors' bundle (`frontend`): the
//! upload form's drop zone and progress, and «Sett inn i teksten».
//!
//! They are *lean* (see ARCHITECTURE.md, "Lean islands"): no props (the
//! server renders the markup and passes it as `children`), no serde in the
//! browser except where a server function needs it, and only what changes is
//! touched. Each island works on the markup the server rendered, so the page
//! does everything without them; they make it instant.
//!
//! A component here is an `#[island]` in the builds that carry it (the
//! server, and the bundle whose feature it names: `visitor-islands`,
//! `editor-islands`) and a plain component elsewhere, so neither bundle
//! exports the other's.

pub mod feedback;
pub mod filter;
pub mod insert;
pub mod upload;

pub use feedback::FeedbackSteps;
pub use filter::CatalogueFilter;
pub use insert::InsertButtons;
pub use upload::UploadForm;
