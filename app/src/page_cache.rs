//! The rendered-page cache: public pages rendered once, compressed once,
//! and served from memory until something changes.
//!
//! Rendering a page and compressing it on the fly cost far more than the
//! handful of database reads behind it (see `scripts/bench-pages.sh`), and
//! nearly every request for a public page is one of a few hundred URLs that
//! change only when an editor saves. So the answer to an anonymous `GET` for
//! a public HTML page is kept, keyed by its full URL (path and query):
//!
//! * **What is stored**: the page's bytes, its ETag (the hash of those
//!   bytes), and each compressed variant the first time a browser asks for
//!   it, made fast while the visitor waits: zstd for a browser that accepts
//!   it ([`ZSTD_LEVEL`]: brotli's size at a fifth of its time), else brotli
//!   ([`FAST_BROTLI`]) or gzip. A page asked for again gets a brotli copy at
//!   the best level, made in the background ([`BEST_BROTLI`]), one page at a
//!   time; from then on a browser that accepts brotli gets that copy.
//! * **What is never stored**: anything for a request that carries a
//!   session (editors see their own links and menus), private paths
//!   (`Area::is_private`: editors' pages, sign-in, server functions,
//!   receipts), anything but a `200 text/html` answer, an answer that sets
//!   a cookie, and a page that holds this response's CSP nonce (the
//!   editors' pages' inline boot script: the nonce is new for every
//!   response, so such a page cannot be replayed).
//! * **Invalidation**: every handler that saved what a page shows starts a
//!   new generation (`invalidate`, or the catalogue's invalidation, which is
//!   part of the epoch), after its sign-in check; a request's method and
//!   status alone never do (anyone can POST), and entries of an
//!   older generation are not used; an entry also expires after the time to
//!   live, which bounds how long a write by another process (the import
//!   command) or the passing of time (a consultation round's deadline) can
//!   go unseen.
//! * **Bounded**: in bytes (all variants counted); the least recently used
//!   entries go first.
//!
//! The middleware is `server::http::page_cache`, inside the statistics layer (a
//! page from memory is counted like any other) and the ETag layer (which
//! uses the stored ETag, so a repeat view still becomes a `304`).

use std::{
    collections::{BTreeMap, HashMap},
    io::Write,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
    time::{Duration, Instant},
};

use axum::{
    body::Bytes,
    http::{header, HeaderMap, HeaderValue},
};

/// Brotli quality for a page compressed while the visitor waits: every page
/// not in the cache, and a cached page's first brotli copy. Issue 30's
/// profile (callgrind, 10,000 resources): at quality 4 brotli was 39–42 %
/// of an uncached page's instructions. Quality 2 (`bench-compression`,
/// `/ressurser`, 34 KB): 7,106 B against 6,797 B, in about a tenth of the
/// time; a page asked for again gets [`BEST_BROTLI`].
pub const FAST_BROTLI: u32 = 2;
/// Brotli quality for a cached page that is asked for again: 17 % smaller
/// than quality 2, but 50–150 ms of work, so it is made in the background,
/// one page at a time, and replaces the fast copy when done.
pub const BEST_BROTLI: u32 = 11;
/// gzip level for both.
pub const GZIP_LEVEL: u32 = 6;
/// zstd level for a page compressed while the visitor waits, when the
/// browser accepts zstd (every current Chromium and Firefox). Issue 30's
/// profile: brotli at [`FAST_BROTLI`] was 23 % of an uncached `/ressurser`'s
/// time. `/ressurser` (43.5 KB): zstd 1 9,391 B in 0.11 ms against brotli 2
/// 9,000 B in 0.55 ms; a resource page (9.7 KB): 3,446 B against 3,420 B,
/// 0.05 against 0.15 ms.
pub const ZSTD_LEVEL: i32 = 1;

/// Settings: how much memory, how long an entry lives.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes of pages (all variants) the cache may hold; 0 turns it off.
    pub max_bytes: usize,
    pub ttl: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 << 20,
            ttl: Duration::from_secs(60),
        }
    }
}

/// A content coding the cache makes and keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Brotli,
    Zstd,
    Gzip,
}

impl Coding {
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Coding::Identity => None,
            Coding::Brotli => Some(HeaderValue::from_static("br")),
            Coding::Zstd => Some(HeaderValue::from_static("zstd")),
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
        }
    }
}

/// The codings a request accepts (`Accept-Encoding`; `q=0` refuses).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    pub brotli: bool,
    pub zstd: bool,
    pub gzip: bool,
}

impl Accepted {
    pub fn of(headers: &HeaderMap) -> Accepted {
        let accepted = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';');
                    let coding = parts.next().unwrap_or("").trim();
                    let refused = parts.any(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.trim().parse::<f32>().ok())
                            .is_some_and(|q| q <= 0.0)
                    });
                    coding.eq_ignore_ascii_case(name) && !refused
                })
        };
        Accepted {
            brotli: accepted("br"),
            zstd: accepted("zstd"),
            gzip: accepted("gzip"),
        }
    }

    /// The coding for a page compressed while the visitor waits: zstd
    /// (fastest for its size), then brotli, then gzip.
    pub fn fast(self) -> Coding {
        if self.zstd {
            Coding::Zstd
        } else if self.brotli {
            Coding::Brotli
        } else if self.gzip {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }
}

/// Compresses `bytes` (brotli at `quality`, zstd at [`ZSTD_LEVEL`], gzip
/// at [`GZIP_LEVEL`]).
pub fn compress(bytes: &[u8], coding: Coding, brotli_quality: u32) -> Bytes {
    match coding {
        Coding::Identity => Bytes::copy_from_slice(bytes),
        // One call with the page's size known: zstd sizes its tables to it.
        Coding::Zstd => zstd::bulk::compress(bytes, ZSTD_LEVEL)
            .expect("compressing memory")
            .into(),
        Coding::Brotli => {
            let mut out = Vec::with_capacity(bytes.len() / 4);
            {
                // A window no larger than the page: the same output, less set-up.
                let window = (usize::BITS - bytes.len().max(1).leading_zeros()).clamp(16, 22);
                let mut writer =
                    brotli::CompressorWriter::new(&mut out, 4096, brotli_quality, window);
                writer.write_all(bytes).expect("writing to memory");
            }
            out.into()
        }
        Coding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(bytes.len() / 4),
                flate2::Compression::new(GZIP_LEVEL),
            );
            encoder.write_all(bytes).expect("writing to memory");
            encoder.finish().expect("writing to memory").into()
        }
    }
}

struct Entry {
    generation: u64,
    made: Instant,
    /// Position in the recency order (higher: used more recently).
    used: u64,
    headers: HeaderMap,
    identity: Bytes,
    brotli: Option<Bytes>,
    /// Whether `brotli` is the best-level copy already.
    brotli_best: bool,
    hits: u32,
    zstd: Option<Bytes>,
    gzip: Option<Bytes>,
}

impl Entry {
    fn size(&self, key: &str) -> usize {
        key.len()
            + self.identity.len()
            + self.brotli.as_ref().map_or(0, Bytes::len)
            + self.zstd.as_ref().map_or(0, Bytes::len)
            + self.gzip.as_ref().map_or(0, Bytes::len)
            + 256
    }

    fn variant(&self, coding: Coding) -> Option<&Bytes> {
        match coding {
            Coding::Identity => Some(&self.identity),
            Coding::Brotli => self.brotli.as_ref(),
            Coding::Zstd => self.zstd.as_ref(),
            Coding::Gzip => self.gzip.as_ref(),
        }
    }

    fn variant_mut(&mut self, coding: Coding) -> Option<&mut Option<Bytes>> {
        match coding {
            Coding::Identity => None,
            Coding::Brotli => Some(&mut self.brotli),
            Coding::Zstd => Some(&mut self.zstd),
            Coding::Gzip => Some(&mut self.gzip),
        }
    }

    /// The coding to answer in: the best brotli copy once it is made (the
    /// smallest), else the fast coding the browser accepts.
    fn coding_for(&self, accepted: Accepted) -> Coding {
        if accepted.brotli && self.brotli_best {
            Coding::Brotli
        } else {
            accepted.fast()
        }
    }
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// `used` → key, oldest first.
    recency: BTreeMap<u64, String>,
    clock: u64,
    bytes: usize,
}

impl Inner {
    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.recency.remove(&entry.used);
            self.bytes -= entry.size(key);
        }
    }

    fn touch(&mut self, key: &str) {
        self.clock += 1;
        let clock = self.clock;
        if let Some(entry) = self.entries.get_mut(key) {
            self.recency.remove(&entry.used);
            entry.used = clock;
            self.recency.insert(clock, key.to_string());
        }
    }
}

/// The cache itself; one per server, shared by every request.
pub struct PageCache {
    limits: Limits,
    generation: AtomicU64,
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
    /// A best-level brotli copy is being made (one at a time).
    upgrading: std::sync::atomic::AtomicBool,
    /// How many times some pages were forgotten ([`PageCache::forget`]): a
    /// page whose render began before the latest one is not kept.
    forgets: AtomicU64,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("limits", &self.limits)
            .field("usage", &self.usage())
            .finish()
    }
}

/// What the cache holds, for the benchmark and the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub entries: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
    pub generation: u64,
}

impl PageCache {
    pub fn new(limits: Limits) -> Self {
        PageCache {
            limits,
            generation: AtomicU64::new(0),
            inner: Mutex::new(Inner::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            upgrading: std::sync::atomic::AtomicBool::new(false),
            forgets: AtomicU64::new(0),
        }
    }

    /// How many [`PageCache::forget`]s: read before rendering, for `put_rendered`.
    pub fn forgets(&self) -> u64 {
        self.forgets.load(Ordering::SeqCst)
    }

    /// Drops the pages a change can make wrong (`changed(key, page)`), and
    /// keeps the rest; a page being rendered meanwhile is not kept. Returns
    /// the dropped keys, most viewed first.
    pub fn forget(&self, changed: impl Fn(&str, &[u8]) -> bool) -> Vec<String> {
        self.forgets.fetch_add(1, Ordering::SeqCst);
        let mut inner = self.lock();
        let mut gone: Vec<(u32, String)> = inner
            .entries
            .iter()
            .filter(|(key, entry)| changed(key, &entry.identity))
            .map(|(key, entry)| (entry.hits, key.clone()))
            .collect();
        for (_, key) in &gone {
            inner.remove(key);
        }
        gone.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        gone.into_iter().map(|(_, key)| key).collect()
    }

    /// Drops the pages whose path (without the query) `shows(path)`: a
    /// change that only those pages show (site texts, illustrations); the
    /// rest stay cached. Returns the dropped keys, most viewed first.
    pub fn forget_paths(&self, shows: impl Fn(&str) -> bool) -> Vec<String> {
        self.forget(|key, _| shows(key.split('?').next().unwrap_or(key)))
    }

    /// [`PageCache::put`] for a page rendered since [`PageCache::forgets`]
    /// was `forgets`: not kept if pages were forgotten meanwhile.
    pub fn put_rendered(
        &self,
        forgets: u64,
        key: String,
        epoch: u64,
        headers: HeaderMap,
        identity: Bytes,
        variant: Option<(Coding, Bytes)>,
    ) {
        if self.forgets() == forgets {
            self.put(key, epoch, headers, identity, variant);
        }
    }

    pub fn enabled(&self) -> bool {
        self.limits.max_bytes > 0
    }

    /// Something public may have changed: no page rendered before is used again.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut inner = self.lock();
        inner.entries.clear();
        inner.recency.clear();
        inner.bytes = 0;
    }

    /// This cache's own generation: add what else a page depends on (the
    /// catalogue's invalidations) to make the epoch `get` and `put` take.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// A request was answered from memory / rendered.
    pub fn count(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn usage(&self) -> Usage {
        let inner = self.lock();
        Usage {
            entries: inner.entries.len(),
            bytes: inner.bytes,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            generation: self.generation.load(Ordering::SeqCst),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The stored answer for `key` and the coding it is in, if fresh: the
    /// best brotli copy when there is one and the browser accepts brotli,
    /// else the fast coding it accepts ([`Accepted::fast`]); a missing
    /// variant of a fresh page is made here (outside the lock) and kept.
    pub fn get(
        &self,
        key: &str,
        accepted: Accepted,
        epoch: u64,
    ) -> Option<(HeaderMap, Bytes, Coding)> {
        let generation = epoch;
        let (headers, identity, coding) = {
            let mut inner = self.lock();
            let entry = inner.entries.get(key)?;
            if entry.generation != generation || entry.made.elapsed() > self.limits.ttl {
                inner.remove(key);
                return None;
            }
            let coding = entry.coding_for(accepted);
            if let Some(bytes) = entry.variant(coding) {
                let found = (entry.headers.clone(), bytes.clone(), coding);
                if let Some(entry) = inner.entries.get_mut(key) {
                    entry.hits = entry.hits.saturating_add(1);
                }
                inner.touch(key);
                return Some(found);
            }
            (entry.headers.clone(), entry.identity.clone(), coding)
        };
        let compressed = compress(&identity, coding, FAST_BROTLI);
        let mut inner = self.lock();
        let mut grew = 0;
        if let Some(entry) = inner.entries.get_mut(key) {
            if entry.generation == generation {
                if let Some(slot @ None) = entry.variant_mut(coding) {
                    grew = compressed.len();
                    *slot = Some(compressed.clone());
                }
            }
        }
        inner.bytes += grew;
        inner.touch(key);
        self.evict(&mut inner);
        Some((headers, compressed, coding))
    }

    /// After a hit from a browser that accepts brotli: the page's bytes, if
    /// a best-level brotli copy should now be made (asked for more than
    /// once, not yet done, no other page being done). The caller compresses
    /// them off the async workers and hands the result to
    /// [`PageCache::upgraded`].
    pub fn upgrade_candidate(&self, key: &str, epoch: u64) -> Option<Bytes> {
        let inner = self.lock();
        let entry = inner.entries.get(key)?;
        if entry.generation != epoch || entry.brotli_best || entry.hits < 2 {
            return None;
        }
        if self.upgrading.swap(true, Ordering::SeqCst) {
            return None;
        }
        Some(entry.identity.clone())
    }

    /// Stores a best-level brotli copy made for [`PageCache::upgrade_candidate`].
    pub fn upgraded(&self, key: &str, epoch: u64, best: Bytes) {
        let mut inner = self.lock();
        let mut change: isize = 0;
        if let Some(entry) = inner.entries.get_mut(key) {
            if entry.generation == epoch && !entry.brotli_best {
                let old = entry.brotli.replace(best.clone()).map_or(0, |b| b.len());
                entry.brotli_best = true;
                change = best.len() as isize - old as isize;
            }
        }
        inner.bytes = inner.bytes.saturating_add_signed(change);
        drop(inner);
        self.upgrading.store(false, Ordering::SeqCst);
    }

    pub fn put(
        &self,
        key: String,
        epoch: u64,
        headers: HeaderMap,
        identity: Bytes,
        variant: Option<(Coding, Bytes)>,
    ) {
        let mut entry = Entry {
            generation: epoch,
            made: Instant::now(),
            used: 0,
            headers,
            identity,
            brotli: None,
            brotli_best: false,
            hits: 0,
            zstd: None,
            gzip: None,
        };
        if let Some((coding, bytes)) = variant {
            if let Some(slot) = entry.variant_mut(coding) {
                *slot = Some(bytes);
            }
        }
        let size = entry.size(&key);
        if size > self.limits.max_bytes / 4 {
            return; // too big to be worth keeping
        }
        let mut inner = self.lock();
        inner.remove(&key);
        inner.bytes += size;
        inner.entries.insert(key.clone(), entry);
        inner.touch(&key);
        self.evict(&mut inner);
    }

    fn evict(&self, inner: &mut Inner) {
        while inner.bytes > self.limits.max_bytes {
            let Some((_, key)) = inner.recency.pop_first() else {
                break;
            };
            if let Some(entry) = inner.entries.remove(&key) {
                inner.bytes -= entry.size(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests;
