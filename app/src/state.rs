//! What every request can reach: the pool and the Leptos options.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;

use crate::{
    client::{Client, TrustedProxies},
    db::index_cache::CatalogueCache,
    error::AppError,
};

/// What every request shares, behind one `Arc`: axum clones the state for
/// every middleware and extractor and Leptos for its context, and a clone
/// is now one atomic increment instead of one per field (issue 30's
/// profile: cloning and dropping the fields, a dozen `Arc`s, the Leptos
/// options and the site's address, was about 5 % of an uncached catalogue
/// page). Fields read through `Deref`; setting one (tests, the router's
/// `refill`) copies the fields first if the state is shared.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }
}

/// The fields of [`AppState`].
#[derive(Clone, Debug)]
pub struct Shared {
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
    /// Limits the statistics beacon per client: its own budget, so counting
    /// never uses up anyone's feedback budget.
    pub beacon_limiter: Arc<RateLimiter>,
    /// Sign-in attempts in flight and failed (in memory, keyed).
    pub sign_in: Arc<crate::throttle::Throttle>,
    /// Whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: Arc<TrustedProxies>,
    /// Whether the session cookie is `Secure` and `__Host-` prefixed: always,
    /// unless the site is served over plain http on a loopback address.
    pub secure_cookies: bool,
    /// Anonymous visitor statistics; disabled unless the server turns it on.
    pub stats: Arc<crate::stats::Recorder>,
    /// The public statistics page's figures, kept for a minute.
    pub public_stats: Arc<Fresh<crate::domain::statistics::PublicStats>>,
    /// Rendered public pages, compressed once (see `page_cache`).
    pub pages: Arc<crate::page_cache::PageCache>,
    /// How the link checker behaves ("Sjekk nå" starts it from a request).
    pub link_check: Arc<crate::domain::links::CheckSettings>,
    /// Bytes all uploaded files may take together (`BLI_MEDIA_QUOTA_MB`).
    pub media_quota: i64,
    /// Renders pages again in the background, most viewed first, so their
    /// next visitor gets them from memory: set by the server's router (the
    /// rendering goes through it), unset here.
    pub refill: Option<fn(&AppState, Vec<String>)>,
}

/// The site's total for uploaded files unless configured: 1 GB.
pub const DEFAULT_MEDIA_QUOTA_MB: u64 = 1024;

impl std::fmt::Debug for crate::stats::Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("enabled", &self.is_enabled())
            .finish()
    }
}

impl AppState {
    pub fn new(
        pool: SqlitePool,
        leptos_options: LeptosOptions,
        public_url: impl Into<String>,
    ) -> Self {
        let public_url = public_url.into();
        AppState(Arc::new(Shared {
            secure_cookies: secure_cookies(&public_url),
            link_check: Arc::new(crate::domain::links::CheckSettings::for_site(&public_url)),
            pool,
            leptos_options,
            catalogue: Arc::new(CatalogueCache::new()),
            public_url,
            feedback_retention_days: DEFAULT_RETENTION_DAYS,
            limiter: Arc::new(RateLimiter::new(
                DEFAULT_SUBMISSIONS_PER_WINDOW,
                std::time::Duration::from_secs(600),
            )),
            beacon_limiter: Arc::new(RateLimiter::new(
                BEACONS_PER_WINDOW,
                std::time::Duration::from_secs(600),
            )),
            sign_in: Arc::new(crate::throttle::Throttle::new()),
            trusted_proxies: Arc::new(TrustedProxies::none()),
            stats: Arc::new(crate::stats::Recorder::disabled()),
            public_stats: Arc::new(Fresh::new(std::time::Duration::from_secs(60))),
            pages: Arc::new(crate::page_cache::PageCache::new(
                crate::page_cache::Limits::default(),
            )),
            media_quota: (DEFAULT_MEDIA_QUOTA_MB << 20) as i64,
            refill: None,
        }))
    }

    /// After a save: drops the cached pages whose path (without the query)
    /// `shows(path)` says show what was saved, keeps every other page, and
    /// has the most viewed of the dropped ones rendered again ([`refill`]).
    ///
    /// [`refill`]: Shared::refill
    pub fn forget_pages(&self, shows: impl Fn(&str) -> bool) {
        let dropped = self.pages.forget_paths(shows);
        if let Some(refill) = self.refill {
            refill(self, dropped);
        }
    }
}

/// A value kept for a short time, so something costly to compute and
/// harmless to show a little late is computed once per `ttl`, not per view.
#[derive(Debug)]
pub struct Fresh<T> {
    ttl: std::time::Duration,
    slot: std::sync::Mutex<Option<(std::time::Instant, T)>>,
}

impl<T: Clone> Fresh<T> {
    pub fn new(ttl: std::time::Duration) -> Self {
        Fresh {
            ttl,
            slot: std::sync::Mutex::new(None),
        }
    }

    /// The value, if it was stored less than `ttl` ago.
    pub fn fresh(&self) -> Option<T> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, value)| value.clone())
    }

    pub fn store(&self, value: T) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((std::time::Instant::now(), value));
    }
}

/// Feedback is deleted after 12 months unless configured otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// Submissions one client may make in ten minutes (feedback, page answers).
pub const DEFAULT_SUBMISSIONS_PER_WINDOW: u32 = 20;
/// Client-side page views one client may report in ten minutes: far more
/// than a person reads, far fewer than a script that forges statistics.
pub const BEACONS_PER_WINDOW: u32 = 300;

/// Plain http is allowed for the session cookie only on a loopback address
/// (a developer's machine, the tests); anything else gets `Secure`, so a
/// TLS proxy deployment that forgets `BLI_PUBLIC_URL` still sends it safely.
pub fn secure_cookies(public_url: &str) -> bool {
    let Some(rest) = public_url.strip_prefix("http://") else {
        return true;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority
            .rsplit_once(':')
            .map(|(h, _)| h)
            .unwrap_or(authority),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !loopback
}

/// The request's client, as the server's middleware resolved it.
pub async fn client() -> Client {
    let found: Option<axum::Extension<Client>> = leptos_axum::extract().await.ok();
    found.map(|e| e.0).unwrap_or_else(Client::unknown)
}

/// A fixed-window limit per client. Clients are told apart by a keyed hash
/// of their [`Client::key`] (IPv6 by /64) with a secret made at start-up and
/// kept in memory only, so no address is stored anywhere, and a restart
/// forgets everything. The table is bounded: windows that are over are
/// dropped oldest first, and beyond `capacity` clients the oldest window goes.
#[derive(Debug)]
pub struct RateLimiter {
    secret: [u8; 32],
    limit: u32,
    window: std::time::Duration,
    capacity: usize,
    seen: std::sync::Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    /// Start of the client's window and what it has used.
    by_key: std::collections::HashMap<[u8; 32], (std::time::Instant, u32)>,
    /// Keys in the order their windows started (an entry is stale when the
    /// key's window has restarted since).
    order: std::collections::VecDeque<([u8; 32], std::time::Instant)>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: std::time::Duration) -> Self {
        Self::with_capacity(limit, window, 100_000)
    }

    pub fn with_capacity(limit: u32, window: std::time::Duration, capacity: usize) -> Self {
        use rand_core::RngCore;
        let mut secret = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut secret);
        RateLimiter {
            secret,
            limit,
            window,
            capacity: capacity.max(1),
            seen: Default::default(),
        }
    }

    /// Whether `client` may submit once more now (and counts it if so).
    pub fn allow(&self, client: &Client) -> bool {
        use sha2::{Digest, Sha256};
        let key: [u8; 32] = Sha256::new()
            .chain_update(self.secret)
            .chain_update(client.key().as_bytes())
            .finalize()
            .into();
        let now = std::time::Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let Windows { by_key, order } = &mut *seen;
        // Drop windows that are over, and the oldest ones beyond capacity.
        while let Some(&(old, started)) = order.front() {
            let live = by_key.get(&old).is_some_and(|(s, _)| *s == started);
            if !live {
                order.pop_front();
            } else if now.duration_since(started) >= self.window || by_key.len() >= self.capacity {
                by_key.remove(&old);
                order.pop_front();
            } else {
                break;
            }
        }
        let entry = by_key.entry(key).or_insert_with(|| {
            order.push_back((key, now));
            (now, 0)
        });
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
            order.push_back((key, now));
        }
        if entry.1 >= self.limit {
            return false;
        }
        entry.1 += 1;
        true
    }

    /// Clients the table holds now (for tests of its bound).
    pub fn tracked(&self) -> usize {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_key
            .len()
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
    state().map(|s| s.pool.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(ip: &str) -> Client {
        Client {
            addr: ip.parse().unwrap(),
            via_https: false,
        }
    }

    #[test]
    fn the_limiter_counts_per_client_and_stays_bounded() {
        let limiter = RateLimiter::with_capacity(2, std::time::Duration::from_secs(600), 100);
        assert!(limiter.allow(&client("10.0.0.1")) && limiter.allow(&client("10.0.0.1")));
        assert!(!limiter.allow(&client("10.0.0.1")));
        assert!(limiter.allow(&client("10.0.0.2")));
        for i in 0..1_000u32 {
            limiter.allow(&client(&format!("10.1.{}.{}", i / 256, i % 256)));
        }
        assert!(
            limiter.tracked() <= 100,
            "at most the capacity: {}",
            limiter.tracked()
        );
        let expired = RateLimiter::with_capacity(1, std::time::Duration::ZERO, 100);
        for i in 0..50u32 {
            assert!(expired.allow(&client(&format!("10.2.0.{i}"))));
        }
        assert!(expired.tracked() <= 1, "windows that are over are dropped");
    }
}
