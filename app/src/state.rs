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
    /// How long feedback is kept.
    pub feedback_retention_days: u32,
    /// Limits visitors' submissions per client (in memory, hashed).
    pub limiter: Arc<RateLimiter>,
    /// Anonymous visitor statistics; disabled unless the server turns it on.
    pub stats: Arc<crate::stats::Recorder>,
}

impl std::fmt::Debug for crate::stats::Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").field("enabled", &self.is_enabled()).finish()
    }
}

impl AppState {
    pub fn new(pool: SqlitePool, leptos_options: LeptosOptions, public_url: impl Into<String>) -> Self {
        AppState {
            pool,
            leptos_options,
            catalogue: Arc::new(CatalogueCache::new()),
            public_url: public_url.into(),
            feedback_retention_days: DEFAULT_RETENTION_DAYS,
            limiter: Arc::new(RateLimiter::new(DEFAULT_SUBMISSIONS_PER_WINDOW, std::time::Duration::from_secs(600))),
            stats: Arc::new(crate::stats::Recorder::disabled()),
        }
    }
}

/// Feedback is deleted after 12 months unless configured otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// Submissions one client may make in ten minutes (feedback, page answers).
pub const DEFAULT_SUBMISSIONS_PER_WINDOW: u32 = 20;

/// A fixed-window limit per client. Clients are told apart by a keyed hash
/// of their address with a secret made at start-up and kept in memory only,
/// so no address is stored anywhere, and a restart forgets everything.
#[derive(Debug)]
pub struct RateLimiter {
    secret: [u8; 32],
    limit: u32,
    window: std::time::Duration,
    seen: std::sync::Mutex<std::collections::HashMap<[u8; 32], (std::time::Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: std::time::Duration) -> Self {
        use rand_core::RngCore;
        let mut secret = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut secret);
        RateLimiter { secret, limit, window, seen: Default::default() }
    }

    /// Whether `client` may submit once more now (and counts it if so).
    pub fn allow(&self, client: &str) -> bool {
        use sha2::{Digest, Sha256};
        let key: [u8; 32] = Sha256::new().chain_update(self.secret).chain_update(client.as_bytes()).finalize().into();
        let now = std::time::Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 100_000 {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = seen.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit {
            return false;
        }
        entry.1 += 1;
        true
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
