//! Sign-in throttling, in memory (server only).
//!
//! Every attempt is reserved before the password is checked, under one lock,
//! so a burst of parallel guesses is counted guess by guess and the sixth
//! finds the door shut. What is counted, and what it costs:
//!
//! * an account from one client: locked after
//!   [`MAX_FAILURES_PER_ACCOUNT`](MAX_FAILURES_PER_ACCOUNT) failures
//!   in the window;
//! * one client over all accounts: locked after
//!   [`MAX_FAILURES_PER_CLIENT`](MAX_FAILURES_PER_CLIENT);
//! * an account over all clients: slowed down, a little more with every
//!   failure, and after [`ACCOUNT_BUDGET`] failures in an hour (ASVS
//!   V2.2.1) refused to every browser but the ones that have signed in to
//!   it before (a known device, `auth::device`), which keep a budget of
//!   their own. So nobody can lock an editor out by guessing wrong on
//!   purpose, and many addresses together get no more than the budget
//!   (review 3, N2).
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

use crate::client::Client;

/// Failures within the window before a user name is locked for the
/// client that made them (other clients are only slowed down).
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failures within the window, over all user names, before a client is locked.
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;

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
/// Failed attempts an account takes in [`BUDGET_WINDOW`] from browsers it
/// does not know, over all clients (ASVS V2.2.1: at most 100 an hour).
pub const ACCOUNT_BUDGET: usize = 100;
pub const BUDGET_WINDOW: Duration = Duration::from_secs(60 * 60);
/// User names (as typed) whose budget is tracked at most. Past it the names
/// with the fewest failures are forgotten first, so the accounts being
/// guessed at are the last to go.
pub const MAX_BUDGETS: usize = 10_000;

type Key = [u8; 32];

/// Why an attempt may not go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Too many failures from this client (for this account, or for all).
    Locked,
    /// The password checks are all busy; counted against the client only.
    Busy,
    /// The account's budget for the hour is spent, and this browser is not
    /// one that has signed in to it before.
    UnknownDevice,
}

pub struct Throttle {
    secret: [u8; 32],
    window: Duration,
    failures: Mutex<Failures>,
    budgets: Mutex<Budgets>,
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

/// Each user name's failures in the last [`BUDGET_WINDOW`] (at most
/// [`ACCOUNT_BUDGET`] of them are kept: no more are ever needed), for at
/// most [`MAX_BUDGETS`] names.
#[derive(Default)]
struct Budgets {
    by_account: HashMap<Key, VecDeque<Instant>>,
}

impl Budgets {
    /// Failures of `account` in the window.
    fn spent(&mut self, account: &Key, now: Instant) -> usize {
        let Some(times) = self.by_account.get_mut(account) else {
            return 0;
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= BUDGET_WINDOW)
        {
            times.pop_front();
        }
        times.len()
    }

    fn record(&mut self, account: Key, at: Instant) {
        let times = self.by_account.entry(account).or_default();
        times.push_back(at);
        if times.len() > ACCOUNT_BUDGET {
            times.pop_front();
        }
        if self.by_account.len() > MAX_BUDGETS {
            self.shrink(at);
        }
    }

    /// Forgets what has left the window and, if that is not enough, the
    /// names with the fewest failures, down to half the table: amortised
    /// over the thousands of new names it takes to fill it again.
    fn shrink(&mut self, now: Instant) {
        self.by_account.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < BUDGET_WINDOW);
            !times.is_empty()
        });
        if self.by_account.len() > MAX_BUDGETS * 3 / 4 {
            let mut counts: Vec<(usize, Key)> = self
                .by_account
                .iter()
                .map(|(key, times)| (times.len(), *key))
                .collect();
            counts.sort_unstable_by_key(|(n, _)| std::cmp::Reverse(*n));
            for (_, key) in &counts[MAX_BUDGETS / 2..] {
                self.by_account.remove(key);
            }
        }
    }

    fn unrecord(&mut self, account: &Key, at: Instant) {
        if let Some(times) = self.by_account.get_mut(account) {
            if let Some(i) = times.iter().rposition(|t| *t == at) {
                times.remove(i);
            }
            if times.is_empty() {
                self.by_account.remove(account);
            }
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
    /// The known device it came from, if any.
    device: Option<Key>,
    at: Instant,
    /// How long to wait before checking the password.
    pub delay: Duration,
    /// This attempt took the last of the account's budget: if it fails,
    /// unknown browsers are refused from now on (worth telling the
    /// administrators, once).
    pub spends_the_budget: bool,
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
            budgets: Mutex::new(Budgets::default()),
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
        self.reserve_from(username, client, None)
    }

    /// [`Throttle::reserve`] from a browser that has signed in to this
    /// account before: `device` is its id, checked by the caller
    /// (`auth::device::recognise`). A known device has a budget of its
    /// own (five failures in the window) and is let in when the account's
    /// budget is spent.
    pub fn reserve_from(
        &self,
        username: &str,
        client: &Client,
        device: Option<&str>,
    ) -> Result<Attempt<'_>, Refused> {
        let device = device.map(|id| self.key(b"device", &[id.as_bytes()]));
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
        let by_device = device.as_ref().map_or(0, &mut count);
        if by_pair >= MAX_FAILURES_PER_ACCOUNT as usize
            || by_client >= MAX_FAILURES_PER_CLIENT as usize
            || by_device >= MAX_FAILURES_PER_ACCOUNT as usize
        {
            return Err(Refused::Locked);
        }
        let mut budgets = self.budgets.lock().unwrap_or_else(|e| e.into_inner());
        let spent = budgets.spent(&account, now);
        if spent >= ACCOUNT_BUDGET && device.is_none() {
            return Err(Refused::UnknownDevice);
        }
        budgets.record(account, now);
        drop(budgets);
        for key in [pair, client, account].into_iter().chain(device) {
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
            device,
            at: now,
            delay,
            spends_the_budget: spent + 1 == ACCOUNT_BUDGET,
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
                Some(phc) => crate::secret::verify_password(&password, &phc),
                None => {
                    crate::secret::verify_password(&password, crate::secret::dummy_hash());
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

    /// User names whose hourly budget is tracked (for tests of the bound).
    pub fn budgets_tracked(&self) -> usize {
        self.budgets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_account
            .len()
    }

    /// Takes an attempt back from the account's hourly budget.
    fn unbudget(&self, account: &Key, at: Instant) {
        self.budgets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unrecord(account, at);
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
    /// account's earlier failures from this client (and device) are forgiven.
    pub fn succeeded(self) {
        self.throttle.unbudget(&self.account, self.at);
        self.throttle
            .unrecord(&[self.client, self.account], self.at);
        let mut failures = self
            .throttle
            .failures
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for key in [Some(self.pair), self.device].into_iter().flatten() {
            failures.by_key.remove(&key);
        }
    }

    /// No password check was free in time: the attempt counts against the
    /// client (so a client that keeps the checks busy locks itself out, and
    /// queueing costs it as much as guessing), but not against the account.
    pub fn busy(self) {
        self.throttle.unbudget(&self.account, self.at);
        let keys: Vec<Key> = [self.pair, self.account]
            .into_iter()
            .chain(self.device)
            .collect();
        self.throttle.unrecord(&keys, self.at);
    }

    /// The attempt could not be judged (a database error): it does not count.
    pub fn release(self) {
        self.throttle.unbudget(&self.account, self.at);
        let keys: Vec<Key> = [self.pair, self.client, self.account]
            .into_iter()
            .chain(self.device)
            .collect();
        self.throttle.unrecord(&keys, self.at);
    }
}

#[cfg(test)]
mod tests;
