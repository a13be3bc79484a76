//! Server functions, grouped by domain. Each is thin: authorise (where it
//! applies), validate, call a `db` function, map the error.

pub mod admin;
pub mod catalogue;
pub mod consultation;
pub mod explore;
pub mod factor;
pub mod feedback;
pub mod form;
pub mod links;
pub mod manage;
pub mod media;
pub mod pages;
pub mod statistics;
pub mod synonyms;
pub mod texts;

/// The form a page shows: the state a form handler came back with, when
/// this render is its answer (`server::routes::forms::rerender` provides it), or
/// else `stored()` as a form without problems. The one reader of a form
/// state: its type is the contract with the handler.
#[cfg(feature = "ssr")]
pub fn form_or<I: Clone + Send + Sync + 'static>(
    stored: impl FnOnce() -> I,
) -> crate::domain::form::FormState<I> {
    came_back().unwrap_or_else(|| crate::domain::form::FormState::stored(stored()))
}

/// The form state a form handler came back with, if this render is its
/// answer (for pages that load nothing when it is).
#[cfg(feature = "ssr")]
pub fn came_back<I: Clone + Send + Sync + 'static>() -> Option<crate::domain::form::FormState<I>> {
    leptos::prelude::use_context::<crate::domain::form::FormState<I>>()
}
