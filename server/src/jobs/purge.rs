//! What the site forgets by itself: feedback, page comments and
//! consultation answers past their retention period, yesterday's visitor
//! ids, old searches with no results, old referrer domains, and sign-in
//! failures that have left their window. Runs at start and then hourly;
//! each step runs whatever happened to the one before it.

use std::time::Duration;

use app::state::AppState;

/// Rows deleted by one run, per kind (for the log and the tests).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub feedback: u64,
    pub consultation: u64,
    pub visitor_ids: u64,
    pub empty_searches: u64,
    pub referrers: u64,
    /// Steps that failed (each is logged with its cause).
    pub failed: u32,
}

/// One run of every purge.
pub async fn once(state: &AppState) -> Purged {
    let pool = &state.pool;
    let mut purged = Purged::default();
    let mut step = |name: &str, result: Result<u64, sqlx::Error>| match result {
        Ok(n) => n,
        Err(err) => {
            tracing::error!(error = %err, "purge of {name} failed");
            purged.failed += 1;
            0
        }
    };
    let now = match sqlx::query_scalar::<_, String>("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")
        .fetch_one(pool)
        .await
    {
        Ok(now) => now,
        Err(err) => {
            tracing::error!(error = %err, "purge: the database does not answer");
            return Purged {
                failed: 1,
                ..Purged::default()
            };
        }
    };
    let today = app::stats::today();
    let days = state.feedback_retention_days;
    let feedback = step(
        "feedback",
        app::db::feedback::purge_expired(pool, &now, days).await,
    );
    let consultation = step(
        "consultation answers",
        app::db::consultation::purge_expired(pool, &now, days).await,
    );
    let visitor_ids = step("visitor ids", app::stats::purge_seen(pool, &today).await);
    let empty_searches = step(
        "searches with no results",
        app::stats::purge_empty_searches(pool, &today).await,
    );
    let referrers = step(
        "referrer domains",
        app::stats::purge_referrers(pool, &today).await,
    );
    state.sign_in.purge();
    Purged {
        feedback,
        consultation,
        visitor_ids,
        empty_searches,
        referrers,
        failed: purged.failed,
    }
}

/// [`once`] at start and then every hour, until the task is aborted.
pub async fn hourly(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let purged = once(&state).await;
        if purged.feedback + purged.consultation > 0 {
            tracing::info!(
                feedback = purged.feedback,
                consultation = purged.consultation,
                "deleted feedback past its retention period"
            );
        }
    }
}
