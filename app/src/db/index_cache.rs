//! Keeping the catalogue index current: saves in place, other changes
//! rebuilt (in the background when nobody needs to wait for them).

use std::sync::{Arc, RwLock};

use sqlx::SqlitePool;

use super::index_load;
use crate::catalogue::index::CatalogueIndex;

/// What one saved resource changed, for the page cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedChange {
    /// Its slugs before and after the save (the same one twice, usually).
    pub slugs: Vec<String>,
    /// Its facet values (or whether it is public at all) changed.
    pub values_changed: bool,
}

/// Holds the current index and keeps it up to date.
///
/// Asking the database for `catalogue_version` on every request costs a pool
/// connection per page view, and under load requests queue for those; so
/// the version is checked at most once per `recheck` interval.
///
/// * A resource saved by this process reaches the index in place
///   ([`CatalogueCache::resource_saved`]: a copy with that one document
///   changed, milliseconds even at 100,000 resources).
/// * A change made elsewhere (the import CLI), seen by the version check,
///   is rebuilt in the background while the old index keeps serving, and
///   shows within `recheck` plus the rebuild.
/// * Other writes by this process (taxonomy, organisations, synonyms) call
///   `invalidate`: the next `get` waits for the full rebuild, so they show
///   at once.
#[derive(Debug)]
pub struct CatalogueCache {
    current: Arc<RwLock<Option<Arc<CatalogueIndex>>>>,
    rebuild: Arc<tokio::sync::Mutex<()>>,
    recheck: std::time::Duration,
    checked_at: std::sync::Mutex<Option<std::time::Instant>>,
    /// How often the catalogue changed under the pages: the page cache's
    /// entries depend on it.
    invalidations: Arc<std::sync::atomic::AtomicU64>,
    /// `invalidate` was called and no rebuild has finished since.
    pending: std::sync::atomic::AtomicBool,
    /// A background rebuild is running.
    rebuilding: Arc<std::sync::atomic::AtomicBool>,
}

impl Default for CatalogueCache {
    fn default() -> Self {
        Self::with_recheck(std::time::Duration::from_secs(1))
    }
}

impl CatalogueCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache that re-reads the version after `recheck`. Zero: every time,
    /// and every change is waited for (tests that write to the database
    /// directly).
    pub fn with_recheck(recheck: std::time::Duration) -> Self {
        CatalogueCache {
            current: Arc::new(RwLock::new(None)),
            rebuild: Arc::new(tokio::sync::Mutex::new(())),
            recheck,
            checked_at: std::sync::Mutex::new(None),
            invalidations: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            pending: std::sync::atomic::AtomicBool::new(false),
            rebuilding: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }
    }

    /// Makes the next `get` check the version and wait for a rebuild if it
    /// moved (after a write that is not a single resource's).
    pub fn invalidate(&self) {
        self.pending
            .store(true, std::sync::atomic::Ordering::SeqCst);
        *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.invalidations
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// How many changes this process announced: grows with every `invalidate`.
    pub fn invalidations(&self) -> u64 {
        self.invalidations.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The index now, if one was built.
    pub fn current(&self) -> Option<Arc<CatalogueIndex>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Resource `id` was saved, published, unpublished or deleted by this
    /// process, in a write that found the catalogue at version `before`:
    /// the index gets that one document changed in place. If anything else
    /// changed the catalogue meanwhile, the change still shows at once and
    /// a full rebuild follows in the background.
    ///
    /// Returns what changed for the pages, or `None` when the index was not
    /// built yet (then this was an `invalidate`).
    pub async fn resource_saved(
        &self,
        pool: &SqlitePool,
        id: i64,
        before: i64,
    ) -> Result<Option<SavedChange>, sqlx::Error> {
        let _guard = self.rebuild.lock().await;
        let Some(index) = self.current() else {
            self.invalidate();
            return Ok(None);
        };
        let mut tx = pool.begin().await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM catalogue_version")
            .fetch_one(&mut *tx)
            .await?;
        let row = index_load::read_resource(&mut tx, id).await?;
        tx.commit().await?;
        // Kept at the old version when something else changed too, so the
        // next check rebuilds in the background.
        let version = if index.version == before {
            version
        } else {
            index.version
        };
        let updated = Arc::new(index.with_resource(&row, version));
        let seen = |index: &CatalogueIndex| {
            index
                .doc_of
                .get(&id)
                .filter(|doc| index.live.contains(**doc))
                .map(|doc| {
                    (
                        index.docs[*doc].slug.clone(),
                        index.doc_values[*doc].clone(),
                    )
                })
        };
        let (old, new) = (seen(&index), seen(&updated));
        let change = SavedChange {
            values_changed: old.as_ref().map(|o| &o.1) != new.as_ref().map(|n| &n.1),
            slugs: old.into_iter().chain(new).map(|(slug, _)| slug).collect(),
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(updated);
        Ok(Some(change))
    }

    /// The index for the database's current version. The first build, and
    /// one after `invalidate`, is waited for; any other change is rebuilt in
    /// the background while this returns the index it has.
    pub async fn get(&self, pool: &SqlitePool) -> Result<Arc<CatalogueIndex>, sqlx::Error> {
        let fresh = self
            .checked_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|at| at.elapsed() < self.recheck);
        if fresh {
            if let Some(index) = self.current() {
                return Ok(index);
            }
        }
        let version: i64 = sqlx::query_scalar("SELECT version FROM catalogue_version")
            .fetch_one(pool)
            .await?;
        let checked = std::time::Instant::now();
        if let Some(index) = self.cached(version) {
            *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(checked);
            return Ok(index);
        }
        let pending =
            self.pending.load(std::sync::atomic::Ordering::SeqCst) || self.recheck.is_zero();
        if let (Some(index), false) = (self.current(), pending) {
            *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(checked);
            self.rebuild_in_background(pool.clone());
            return Ok(index);
        }
        let _guard = self.rebuild.lock().await;
        if let Some(index) = self.cached(version) {
            return Ok(index);
        }
        self.pending
            .store(false, std::sync::atomic::Ordering::SeqCst);
        let index = Arc::new(index_load::load(pool).await?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(index.clone());
        *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(checked);
        Ok(index)
    }

    /// A full rebuild off the request path (one at a time); the new index
    /// replaces the old one when it is done, and the pages built from the
    /// old one are no longer used.
    pub fn rebuild_in_background(&self, pool: SqlitePool) {
        use std::sync::atomic::Ordering;
        if self.rebuilding.swap(true, Ordering::SeqCst) {
            return;
        }
        let (current, lock, invalidations, rebuilding) = (
            self.current.clone(),
            self.rebuild.clone(),
            self.invalidations.clone(),
            self.rebuilding.clone(),
        );
        tokio::spawn(async move {
            let _guard = lock.lock().await;
            match index_load::load(&pool).await {
                Ok(index) => {
                    let mut slot = current.write().unwrap_or_else(|e| e.into_inner());
                    if slot.as_ref().is_none_or(|old| old.version <= index.version) {
                        *slot = Some(Arc::new(index));
                        invalidations.fetch_add(1, Ordering::SeqCst);
                    }
                }
                Err(error) => tracing::error!(%error, "rebuilding the catalogue index failed"),
            }
            rebuilding.store(false, Ordering::SeqCst);
        });
    }

    fn cached(&self, version: i64) -> Option<Arc<CatalogueIndex>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current.as_ref().filter(|i| i.version == version).cloned()
    }
}
