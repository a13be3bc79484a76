//! Anonymous visitor statistics, counted on the server (server only).
//!
//! A page view becomes an [`Event`] on a bounded channel; a background task
//! writes events in batches, one transaction each, so counting never waits
//! on the database inside a request. A visitor id is a keyed hash of a
//! random salt that changes every day, the site, the IP address and the user
//! agent: the same browser counts once per day, and nobody can link two days
//! or get the address back. Salts live in memory only. Known bots and
//! browsers that send Do Not Track or Global Privacy Control are not counted.
//! Nothing is stored on the visitor's device.

/// The storage side (the daily tables, their caps and purges) is `db::visits`.
pub use crate::{db::visits::*, domain::statistics::Event};

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Mutex,
};

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use tokio::sync::mpsc;

/// Events waiting to be written, at most; beyond this they are dropped
/// (and counted in the log) rather than slowing requests down.
const QUEUE: usize = 10_000;
/// Events per transaction at most.
const BATCH: usize = 1_000;
/// Distinct pages counted per day at most; views of further pages still
/// count for the site as a whole. Only real pages are counted at all, so
/// this is a bound on what a flood of forged requests could write.
pub const MAX_PATHS_PER_DAY: usize = 20_000;

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// The day's random salt, replaced (and the old one forgotten) when the day changes.
pub struct Salts {
    current: Mutex<(String, [u8; 32])>,
}

impl Default for Salts {
    fn default() -> Self {
        Salts {
            current: Mutex::new((String::new(), [0; 32])),
        }
    }
}

impl Salts {
    /// The visitor id for `day`: hex of the first 16 bytes of
    /// SHA-256(salt ‖ site ‖ ip ‖ user agent).
    pub fn visitor(&self, day: &str, site: &str, ip: &str, user_agent: &str) -> String {
        let salt = {
            let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
            if current.0 != day {
                let mut salt = [0u8; 32];
                rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut salt);
                *current = (day.to_string(), salt);
            }
            current.1
        };
        let mut hash = Sha256::new();
        for part in [
            &salt[..],
            site.as_bytes(),
            b"\0",
            ip.as_bytes(),
            b"\0",
            user_agent.as_bytes(),
        ] {
            hash.update(part);
        }
        hash.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Crawlers, monitors and tools, by their user agent. Also an empty one.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ua.trim().is_empty()
        || [
            "bot",
            "crawl",
            "spider",
            "slurp",
            "facebookexternalhit",
            "headless",
            "lighthouse",
            "pingdom",
            "uptime",
            "monitor",
            "curl/",
            "wget/",
            "python-",
            "go-http",
            "java/",
            "okhttp",
            "axios",
            "node-fetch",
            "wrk",
            "preview",
        ]
        .iter()
        .any(|b| ua.contains(b))
}

/// Do Not Track or Global Privacy Control: the visitor asked not to be counted.
pub fn opted_out(headers: &HeaderMap) -> bool {
    let on = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "1")
    };
    on("dnt") || on("sec-gpc")
}

/// phone, tablet or desktop, from the user agent (and the client hint when sent).
pub fn device_class(headers: &HeaderMap, user_agent: &str) -> &'static str {
    if headers
        .get("sec-ch-ua-mobile")
        .and_then(|v| v.to_str().ok())
        == Some("?1")
    {
        return "phone";
    }
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("ipad")
        || ua.contains("tablet")
        || (ua.contains("android") && !ua.contains("mobile"))
    {
        "tablet"
    } else if ua.contains("mobi") || ua.contains("iphone") || ua.contains("android") {
        "phone"
    } else {
        "desktop"
    }
}

/// The domain a visitor came from, unless it is this site (or unknown).
pub fn referrer_domain(referer: Option<&str>, own_host: &str) -> Option<String> {
    let rest = referer?.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host
        .split(':')
        .next()?
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let own = own_host
        .split(':')
        .next()
        .unwrap_or_default()
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    (!host.is_empty() && host != own && host.len() <= 100).then_some(host)
}

/// Where events go. A disabled recorder counts nothing.
pub struct Recorder {
    tx: Option<mpsc::Sender<Event>>,
    salts: Salts,
    site: String,
    dropped: AtomicU64,
    /// Today's distinct paths (in memory; see [`MAX_PATHS_PER_DAY`]).
    paths: Mutex<(String, std::collections::HashSet<String>)>,
}

impl Recorder {
    /// A recorder that counts nothing (statistics off, and tests that do not count).
    pub fn disabled() -> Self {
        Recorder {
            tx: None,
            salts: Salts::default(),
            site: String::new(),
            dropped: AtomicU64::new(0),
            paths: Default::default(),
        }
    }

    /// A recorder and the receiving end its writer reads from.
    pub fn new(site: &str) -> (Self, mpsc::Receiver<Event>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let recorder = Recorder {
            tx: Some(tx),
            salts: Salts::default(),
            site: site.to_string(),
            dropped: AtomicU64::new(0),
            paths: Default::default(),
        };
        (recorder, rx)
    }

    pub fn is_enabled(&self) -> bool {
        self.tx.is_some()
    }

    /// Whether this request may be counted at all.
    pub fn countable(&self, headers: &HeaderMap) -> bool {
        let ua = headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        self.is_enabled() && !opted_out(headers) && !is_bot(ua)
    }

    fn send(&self, event: Event) {
        if let Some(tx) = &self.tx {
            if tx.try_send(event).is_err() {
                let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_power_of_two() {
                    tracing::warn!(dropped = n, "statistics queue full: events dropped");
                }
            }
        }
    }

    /// Counts a view of `path` by the client at `ip`, unless it may not be counted.
    pub fn view(&self, headers: &HeaderMap, ip: &str, path: &str, referer: Option<&str>) {
        if !self.countable(headers) {
            return;
        }
        let ua = headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let day = today();
        let visitor = self.salts.visitor(&day, &self.site, ip, ua);
        let own_host = headers
            .get("host")
            .and_then(|v| v.to_str().ok())
            .unwrap_or(&self.site);
        let referrer = referrer_domain(referer, own_host);
        let path: String = path.chars().take(200).collect();
        let path = if self.admit_path(&day, &path) {
            path
        } else {
            SITE_ONLY.to_string()
        };
        self.send(Event::View {
            day,
            path,
            visitor,
            referrer,
            device: device_class(headers, ua),
        });
    }

    /// Whether `path` may get a row of its own today: it has one already, or
    /// today has fewer than [`MAX_PATHS_PER_DAY`].
    fn admit_path(&self, day: &str, path: &str) -> bool {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        if paths.0 != day {
            *paths = (day.to_string(), Default::default());
        }
        if paths.1.contains(path) {
            return true;
        }
        if paths.1.len() >= MAX_PATHS_PER_DAY {
            return false;
        }
        paths.1.insert(path.to_string());
        true
    }

    /// Counts the filters of a catalogue view, and its search when it found nothing.
    pub fn catalogue(
        &self,
        headers: &HeaderMap,
        filters: &[(String, Vec<String>)],
        search: &str,
        total: u32,
    ) {
        if !self.countable(headers) {
            return;
        }
        let day = today();
        for (facet, values) in filters {
            for value in values {
                self.send(Event::Filter {
                    day: day.clone(),
                    facet: facet.clone(),
                    value: value.clone(),
                });
            }
        }
        let query = search.trim().to_lowercase();
        // Three letters or more, so half-typed words do not fill the list.
        if total == 0 && query.chars().count() >= 3 {
            self.send(Event::EmptySearch {
                day,
                query: query.chars().take(100).collect(),
            });
        }
    }
}

/// Writes events as they come, in batches, until told to stop (at shutdown,
/// after the server stopped taking requests); then writes what is left and
/// returns.
pub async fn run_writer(
    pool: SqlitePool,
    mut rx: mpsc::Receiver<Event>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut stopping = false;
    loop {
        let received = if stopping {
            rx.recv_many(&mut batch, BATCH).await
        } else {
            tokio::select! {
                n = rx.recv_many(&mut batch, BATCH) => n,
                _ = &mut stop => {
                    // No new events; what is queued is still received, then 0.
                    stopping = true;
                    rx.close();
                    rx.recv_many(&mut batch, BATCH).await
                }
            }
        };
        if received == 0 {
            return;
        }
        if let Err(err) = write_batch(&pool, &batch).await {
            tracing::error!(error = %err, events = batch.len(), "writing statistics failed");
        }
        batch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_visitor_has_one_id_a_day_and_a_new_one_the_next_day() {
        let salts = Salts::default();
        let a = salts.visitor("2026-11-23", "site", "10.0.0.1", "Firefox");
        assert_eq!(
            a,
            salts.visitor("2026-11-23", "site", "10.0.0.1", "Firefox")
        );
        assert_ne!(
            a,
            salts.visitor("2026-11-23", "site", "10.0.0.2", "Firefox")
        );
        assert_ne!(a, salts.visitor("2026-11-23", "site", "10.0.0.1", "Chrome"));
        let next_day = salts.visitor("2026-11-24", "site", "10.0.0.1", "Firefox");
        assert_ne!(a, next_day);
        assert_eq!(a.len(), 32);
        assert!(!a.contains("10.0.0.1"));
    }

    /// M1: every forged path used to become a row of its own.
    #[test]
    fn a_day_has_a_bounded_number_of_paths() {
        let recorder = Recorder::disabled();
        for i in 0..MAX_PATHS_PER_DAY {
            assert!(recorder.admit_path("2026-12-01", &format!("/side-{i}")));
        }
        assert!(
            !recorder.admit_path("2026-12-01", "/en-til"),
            "past the cap a new path counts for the site only"
        );
        assert!(
            recorder.admit_path("2026-12-01", "/side-7"),
            "a path already counted today still counts"
        );
        assert!(
            recorder.admit_path("2026-12-02", "/en-til"),
            "a new day starts afresh"
        );
    }

    #[test]
    fn bots_and_opt_outs_are_recognised() {
        assert!(is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
        assert!(is_bot("Mozilla/5.0 (X11) HeadlessChrome/130"));
        assert!(is_bot(""));
        assert!(!is_bot(
            "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36"
        ));
        let mut headers = HeaderMap::new();
        assert!(!opted_out(&headers));
        headers.insert("sec-gpc", "1".parse().unwrap());
        assert!(opted_out(&headers));
        let mut headers = HeaderMap::new();
        headers.insert("dnt", "1".parse().unwrap());
        assert!(opted_out(&headers));
    }

    #[test]
    fn device_and_referrer() {
        let h = HeaderMap::new();
        assert_eq!(
            device_class(&h, "Mozilla/5.0 (iPhone; CPU iPhone OS 17) Mobile/15E148"),
            "phone"
        );
        assert_eq!(device_class(&h, "Mozilla/5.0 (iPad; CPU OS 17)"), "tablet");
        assert_eq!(
            device_class(&h, "Mozilla/5.0 (Linux; Android 14; SM-X200) Safari"),
            "tablet"
        );
        assert_eq!(
            device_class(&h, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"),
            "desktop"
        );
        assert_eq!(
            referrer_domain(Some("https://www.google.no/search?q=x"), "bli.no"),
            Some("google.no".into())
        );
        assert_eq!(
            referrer_domain(Some("https://bli.no/ressurser"), "bli.no:443"),
            None
        );
        assert_eq!(referrer_domain(Some("ikke en adresse"), "bli.no"), None);
        assert_eq!(referrer_domain(None, "bli.no"), None);
    }
}
