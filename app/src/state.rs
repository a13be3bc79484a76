//! What every request can reach: the pool and the Leptos options.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;

use crate::{db::index::CatalogueCache, error::AppError};

#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: SqlitePool,
    pub leptos_options: LeptosOptions,
    /// The in-memory facet index, shared by every request.
    pub catalogue: Arc<CatalogueCache>,
    /// The site's address as visitors see it (for feeds and canonical links).
    pub public_url: String,
}

impl AppState {
    pub fn new(pool: SqlitePool, leptos_options: LeptosOptions, public_url: impl Into<String>) -> Self {
        AppState { pool, leptos_options, catalogue: Arc::new(CatalogueCache::new()), public_url: public_url.into() }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state, from the context the server provides to every request.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The pool, from the request's context.
pub fn pool() -> Result<SqlitePool, AppError> {
    state().map(|s| s.pool)
}
