//! Sign-in throttling, in memory (server only).
//!
//! Every attempt is reserved before the password is checked, under one lock,
//! so a burst of parallel guesses is counted guess by guess and the sixth
//! finds the door shut. What is counted, and what it costs:
//!
//! * an account from one client: locked after
//!   [`MAX_FAILURES_PER_ACCOUNT`](super::MAX_FAILURES_PER_ACCOUNT) failures
//!   in the window;
//! * one client over all accounts: locked after
//!   [`MAX_FAILURES_PER_CLIENT`](super::MAX_FAILURES_PER_CLIENT);
//! * an account over all clients: only slowed down, a little more with
//!   every failure, so nobody can lock an editor out by guessing wrong on
//!   purpose.
//!
//! Keys are keyed hashes (a secret made at start-up, in memory only) of the
//! user name as typed and of the client's [`key`](crate::client::Client::key),
//! so nothing here can be turned back into an address or a name, and nothing
//! is written to disk. Failures are forgotten when they leave the window; a
//! restart forgets them all.
//!
//! Password checks (argon2, tens of milliseconds of CPU each) run on the
//! blocking pool behind a small semaphore, so a burst of sign-ins queues
//! there instead of occupying the async workers that serve pages.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::{FAILURE_WINDOW_SECS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_CLIENT};
use crate::client::Client;

/// The delay an account's failures (from any client) add to each new attempt.
pub const DELAY_PER_FAILURE: Duration = Duration::from_millis(150);
/// The longest delay: well inside the request time-out.
pub const MAX_DELAY: Duration = Duration::from_secs(10);
/// How long an attempt waits for a password check before it is told to try again.
pub const VERIFY_WAIT: Duration = Duration::from_secs(10);
/// Failures remembered at most, over all keys (each attempt records three).
/// Past it the oldest is forgotten first, so many addresses cannot make the
/// table, or the work on it, grow without bound (review 3, N10).
pub const MAX_RECORDED: usize = 50_000;

type Key = [u8; 32];

/// Why an attempt may not go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Too many failures from this client (for this account, or for all).
    Locked,
    /// The password checks are all busy; counted against the client only.
    Busy,
}

pub struct Throttle {
    secret: [u8; 32],
    window: Duration,
    failures: Mutex<Failures>,
    verifier: Arc<Semaphore>,
    verify_wait: Duration,
}

/// Failures per key, and every failure recorded in the order it came, so
/// the oldest are found at the front without looking at the rest.
#[derive(Default)]
struct Failures {
    by_key: HashMap<Key, VecDeque<Instant>>,
    order: VecDeque<(Instant, Key)>,
}

impl Failures {
    fn record(&mut self, key: Key, at: Instant) {
        self.by_key.entry(key).or_default().push_back(at);
        self.order.push_back((at, key));
    }

    /// Forgets the oldest recorded failure (if its key still holds it:
    /// success and release take failures back).
    fn forget_oldest(&mut self) {
        let Some((at, key)) = self.order.pop_front() else {
            return;
        };
        if let Some(times) = self.by_key.get_mut(&key) {
            if times.front().is_some_and(|t| *t <= at) {
                times.pop_front();
            }
            if times.is_empty() {
                self.by_key.remove(&key);
            }
        }
    }

    /// Forgets what has left the window, and the oldest beyond
    /// [`MAX_RECORDED`]: amortised constant work per recorded failure.
    fn trim(&mut self, window: Duration, now: Instant) {
        while self
            .order
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) >= window)
            || self.order.len() > MAX_RECORDED
        {
            self.forget_oldest();
        }
    }
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle")
            .field("tracked", &self.tracked())
            .finish()
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new()
    }
}

/// A reserved attempt: counted as a failure until [`Attempt::succeeded`] or
/// [`Attempt::release`] says otherwise.
#[must_use]
pub struct Attempt<'a> {
    throttle: &'a Throttle,
    pair: Key,
    client: Key,
    account: Key,
    at: Instant,
    /// How long to wait before checking the password.
    pub delay: Duration,
}

impl Throttle {
    /// Password checks at a time: half the cores (at least one, at most
    /// four), so the other half keeps serving pages.
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        Self::with(
            Duration::from_secs(FAILURE_WINDOW_SECS as u64),
            (cores / 2).clamp(1, 4),
        )
    }

    pub fn with(window: Duration, checks_at_once: usize) -> Self {
        Self::with_wait(window, checks_at_once, VERIFY_WAIT)
    }

    /// As [`Throttle::with`], with `wait` instead of [`VERIFY_WAIT`].
    pub fn with_wait(window: Duration, checks_at_once: usize, wait: Duration) -> Self {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        Throttle {
            secret,
            window,
            failures: Mutex::new(Failures::default()),
            verifier: Arc::new(Semaphore::new(checks_at_once.max(1))),
            verify_wait: wait,
        }
    }

    fn key(&self, kind: &[u8], parts: &[&[u8]]) -> Key {
        let mut hash = Sha256::new().chain_update(self.secret).chain_update(kind);
        for part in parts {
            hash = hash.chain_update([0]).chain_update(part);
        }
        hash.finalize().into()
    }

    /// Counts an attempt for `username` from `client` before its password is
    /// checked, or refuses it.
    pub fn reserve(&self, username: &str, client: &Client) -> Result<Attempt<'_>, Refused> {
        let name = username.trim().to_lowercase();
        let client_key = client.key();
        let account = self.key(b"account", &[name.as_bytes()]);
        let client = self.key(b"client", &[client_key.as_bytes()]);
        let pair = self.key(b"pair", &[name.as_bytes(), client_key.as_bytes()]);
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.trim(self.window, now);
        let by_key = &mut failures.by_key;
        let mut count = |key: &Key| {
            let Some(times) = by_key.get_mut(key) else {
                return 0;
            };
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                times.pop_front();
            }
            let n = times.len();
            if n == 0 {
                by_key.remove(key);
            }
            n
        };
        let (by_pair, by_client, by_account) = (count(&pair), count(&client), count(&account));
        if by_pair >= MAX_FAILURES_PER_ACCOUNT as usize
            || by_client >= MAX_FAILURES_PER_CLIENT as usize
        {
            return Err(Refused::Locked);
        }
        for key in [pair, client, account] {
            failures.record(key, now);
        }
        failures.trim(self.window, now);
        let delay = DELAY_PER_FAILURE
            .saturating_mul(by_account as u32)
            .min(MAX_DELAY);
        Ok(Attempt {
            throttle: self,
            pair,
            client,
            account,
            at: now,
            delay,
        })
    }

    /// Checks a password against `phc` (or, for a user that does not exist,
    /// against a dummy hash: the same work and the same time) on the
    /// blocking pool, waiting for a free check at most [`VERIFY_WAIT`].
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> Result<bool, Refused> {
        let permit = tokio::time::timeout(self.verify_wait, self.verifier.clone().acquire_owned())
            .await
            .map_err(|_| Refused::Busy)?
            .map_err(|_| Refused::Busy)?;
        let (password, phc) = (password.to_string(), phc.map(str::to_string));
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            match phc {
                Some(phc) => super::verify_password(&password, &phc),
                None => {
                    super::verify_password(&password, super::dummy_hash());
                    false
                }
            }
        })
        .await
        .map_err(|_| Refused::Busy)
    }

    /// Forgets every failure that has left the window (the server calls it
    /// hourly; `reserve` does the same, from the oldest, at every attempt).
    pub fn purge(&self) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.trim(self.window, Instant::now());
    }

    /// Keys with failures in the window (for tests of the bound and the purge).
    pub fn tracked(&self) -> usize {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_key
            .len()
    }

    /// Ages every recorded failure past the window, as if it had passed.
    #[doc(hidden)]
    pub fn pass_the_window(&self) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let back = |t: &mut Instant| {
            *t = t
                .checked_sub(self.window + Duration::from_secs(1))
                .unwrap_or(*t)
        };
        let Failures { by_key, order } = &mut *failures;
        by_key.values_mut().flatten().for_each(back);
        order.iter_mut().for_each(|(t, _)| back(t));
    }

    fn unrecord(&self, keys: &[Key], at: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            if let Some(times) = failures.by_key.get_mut(key) {
                if let Some(i) = times.iter().position(|t| *t == at) {
                    times.remove(i);
                }
                if times.is_empty() {
                    failures.by_key.remove(key);
                }
            }
        }
    }
}

impl Attempt<'_> {
    /// The password was right: this attempt was no failure, and the
    /// account's earlier failures from this client are forgiven.
    pub fn succeeded(self) {
        self.throttle
            .unrecord(&[self.client, self.account], self.at);
        let mut failures = self
            .throttle
            .failures
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        failures.by_key.remove(&self.pair);
    }

    /// No password check was free in time: the attempt counts against the
    /// client (so a client that keeps the checks busy locks itself out, and
    /// queueing costs it as much as guessing), but not against the account.
    pub fn busy(self) {
        self.throttle.unrecord(&[self.pair, self.account], self.at);
    }

    /// The attempt could not be judged (a database error): it does not count.
    pub fn release(self) {
        self.throttle
            .unrecord(&[self.pair, self.client, self.account], self.at);
    }
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
    fn a_burst_is_counted_attempt_by_attempt() {
        let throttle = Throttle::new();
        let held: Vec<_> = (0..200)
            .filter_map(|_| throttle.reserve("kari", &client("10.0.0.1")).ok())
            .collect();
        assert_eq!(
            held.len(),
            MAX_FAILURES_PER_ACCOUNT as usize,
            "only five go ahead, however many arrive at once"
        );
    }

    #[test]
    fn guessing_from_elsewhere_slows_an_account_but_never_locks_it() {
        let throttle = Throttle::new();
        for i in 0..50 {
            for _ in 0..MAX_FAILURES_PER_ACCOUNT {
                let _ = throttle.reserve("kari", &client(&format!("10.1.0.{i}")));
            }
        }
        let owner = throttle
            .reserve("Kari", &client("192.0.2.10"))
            .expect("the editor's own client is not locked");
        assert_eq!(owner.delay, MAX_DELAY, "but waits");
        owner.succeeded();
        assert_eq!(
            throttle.reserve("kari", &client("10.1.0.1")).err(),
            Some(Refused::Locked),
            "the guesser stays locked"
        );
    }

    #[test]
    fn success_forgives_and_release_does_not_count() {
        let throttle = Throttle::new();
        for _ in 0..MAX_FAILURES_PER_ACCOUNT - 1 {
            let _ = throttle.reserve("kari", &client("10.0.0.2"));
        }
        throttle
            .reserve("kari", &client("10.0.0.2"))
            .unwrap()
            .succeeded();
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            throttle
                .reserve("kari", &client("10.0.0.2"))
                .unwrap()
                .release();
        }
        assert!(throttle.reserve("kari", &client("10.0.0.2")).is_ok());
    }

    /// M3: argon2 used to run on the async worker, so one check froze every
    /// other task on it for tens of milliseconds.
    #[tokio::test(flavor = "current_thread")]
    async fn password_checks_leave_the_async_worker_free() {
        let throttle = Throttle::new();
        let hash = super::super::hash_password("et langt og godt passord").unwrap();
        let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = ticks.clone();
        let ticker = tokio::spawn(async move {
            loop {
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        });
        tokio::task::yield_now().await;
        let before = ticks.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            throttle
                .verify("et langt og godt passord", Some(&hash))
                .await,
            Ok(true)
        );
        assert_eq!(
            throttle.verify("feil", None).await,
            Ok(false),
            "an unknown user is checked against the dummy"
        );
        let during = ticks.load(std::sync::atomic::Ordering::Relaxed) - before;
        ticker.abort();
        assert!(
            during > 100,
            "the only worker thread ran other tasks {during} times while passwords were checked"
        );
    }

    /// Review 3, N10: every key stayed until it left the window, and past
    /// 50,000 keys each attempt swept the whole table under the lock.
    #[test]
    fn the_table_is_bounded_under_many_addresses() {
        let throttle = Throttle::new();
        for i in 0..60_000u32 {
            let ip = format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
            let _ = throttle.reserve(&format!("u{i}"), &client(&ip));
        }
        assert!(
            throttle.tracked() <= MAX_RECORDED,
            "{} keys",
            throttle.tracked()
        );
        // The newest are what is kept: the last client is still counted.
        let last = client("10.0.234.95");
        for _ in 1..MAX_FAILURES_PER_ACCOUNT {
            let _ = throttle.reserve("u59999", &last);
        }
        assert_eq!(
            throttle.reserve("u59999", &last).err(),
            Some(Refused::Locked)
        );
    }

    #[test]
    fn failures_are_forgotten_after_the_window() {
        let throttle = Throttle::new();
        for i in 0..MAX_FAILURES_PER_CLIENT {
            let _ = throttle.reserve(&format!("navn{i}"), &client("10.0.0.3"));
        }
        assert_eq!(
            throttle.reserve("kari", &client("10.0.0.3")).err(),
            Some(Refused::Locked)
        );
        throttle.pass_the_window();
        throttle.purge();
        assert_eq!(throttle.tracked(), 0, "nothing is kept past the window");
        assert!(throttle.reserve("kari", &client("10.0.0.3")).is_ok());
    }
}
