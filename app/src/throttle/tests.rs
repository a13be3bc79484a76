//! The throttle's unit tests (beside it, in a file of their own for length).

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

/// Review 3, N2: the delay did not slow guesses sent in parallel, so
/// many addresses together had no limit per account but the CPU.
#[test]
fn an_account_has_a_budget_however_many_clients_guess() {
    let t = Throttle::new();
    let admitted = (0..1000u32)
        .filter(|i| {
            t.reserve("kari", &client(&format!("10.{}.{}.1", i / 250, i % 250)))
                .is_ok()
        })
        .count();
    assert!(
        admitted <= 100,
        "{admitted} guesses at one account inside one window"
    );
    assert_eq!(
        t.reserve("KARI ", &client("192.0.2.77")).err(),
        Some(Refused::UnknownDevice),
        "a browser the account does not know is refused"
    );
    let known = t
        .reserve_from("kari", &client("192.0.2.77"), Some("enhet-1"))
        .expect("a known device has a budget of its own");
    assert!(!known.spends_the_budget);
    drop(known);
    for _ in 1..MAX_FAILURES_PER_ACCOUNT {
        let _ = t.reserve_from(
            "kari",
            &client(&format!("192.0.2.{}", 100)),
            Some("enhet-1"),
        );
    }
    assert_eq!(
        t.reserve_from("kari", &client("192.0.2.200"), Some("enhet-1"))
            .err(),
        Some(Refused::Locked),
        "and five failures in the window use up the device's own budget, whatever its address"
    );
    assert!(
        t.reserve("ola", &client("192.0.2.77")).is_ok(),
        "other accounts are untouched"
    );
}

#[test]
fn exactly_one_attempt_spends_the_budget() {
    let t = Throttle::new();
    let spenders = (0..ACCOUNT_BUDGET as u32 + 5)
        .filter_map(|i| {
            t.reserve("kari", &client(&format!("10.9.{}.{}", i / 200, i % 200)))
                .ok()
        })
        .filter(|a| a.spends_the_budget)
        .count();
    assert_eq!(spenders, 1);
}

#[test]
fn the_budgets_are_bounded_and_keep_the_accounts_under_attack() {
    let t = Throttle::new();
    for i in 0..ACCOUNT_BUDGET as u32 {
        let _ = t.reserve("kari", &client(&format!("10.8.{}.{}", i / 200, i % 200)));
    }
    for i in 0..3 * MAX_BUDGETS as u32 {
        let ip = format!("10.{}.{}.{}", 100 + (i >> 16), (i >> 8) & 255, i & 255);
        let _ = t.reserve(&format!("u{i}"), &client(&ip));
    }
    assert!(
        t.budgets_tracked() <= MAX_BUDGETS,
        "{}",
        t.budgets_tracked()
    );
    assert_eq!(
        t.reserve("kari", &client("192.0.2.8")).err(),
        Some(Refused::UnknownDevice),
        "many other names do not make the spent account forgotten"
    );
}

#[test]
fn guessing_from_elsewhere_slows_an_account_but_never_locks_it() {
    let throttle = Throttle::new();
    // 95 failures: short of the account's budget (see above for past it).
    for i in 0..19 {
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
    let hash = crate::secret::hash_password("et langt og godt passord").unwrap();
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
