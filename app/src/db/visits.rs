//! Writing the visitor statistics (the counter in `stats.rs` makes the events): events applied in batches to the daily tables,
//! with a cap on the rows a day may add where anonymous requests choose the
//! keys, and the purges of what is kept only for a while.

use std::collections::HashMap;

use sqlx::SqlitePool;

use crate::domain::statistics::Event;

/// The path of a view counted for the site only (past the day's cap).
pub const SITE_ONLY: &str = "*";

/// Applies a batch of events in one transaction: all of it or none.
pub async fn write_batch(pool: &SqlitePool, events: &[Event]) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(pool).await?;
    let mut days = HashMap::new();
    for event in events {
        match event {
            Event::View {
                day,
                path,
                visitor,
                referrer,
                device,
            } => {
                let own_row = path != SITE_ONLY;
                let rows = rows_of(&mut tx, &mut days, day).await?;
                let new_on_page = if own_row {
                    seen(&mut tx, rows, day, path, visitor).await?
                } else {
                    0
                };
                let rows = rows_of(&mut tx, &mut days, day).await?;
                let new_on_site = seen(&mut tx, rows, day, SITE_ONLY, visitor).await?;
                let rows = [(path.as_str(), new_on_page), (SITE_ONLY, new_on_site)];
                for (p, new) in rows.into_iter().skip(if own_row { 0 } else { 1 }) {
                    sqlx::query(
                        "INSERT INTO stat_page (day, path, views, visitors) VALUES (?1, ?2, 1, ?3)
                         ON CONFLICT (day, path) DO UPDATE SET views = views + 1, visitors = visitors + excluded.visitors",
                    )
                    .bind(day)
                    .bind(p)
                    .bind(new as i64)
                    .execute(&mut *tx)
                    .await?;
                }
                if new_on_site > 0 {
                    sqlx::query(
                        "INSERT INTO stat_device (day, device, visitors) VALUES (?1, ?2, 1)
                         ON CONFLICT (day, device) DO UPDATE SET visitors = visitors + 1",
                    )
                    .bind(day)
                    .bind(device)
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(domain) = referrer {
                    let rows = rows_of(&mut tx, &mut days, day).await?;
                    let counted = add_one(
                        &mut tx,
                        "UPDATE stat_referrer SET visits = visits + 1 WHERE day = ?1 AND domain = ?2",
                        "INSERT INTO stat_referrer (day, domain, visits) VALUES (?1, ?2, 1)",
                        &mut rows.referrers,
                        MAX_REFERRERS_PER_DAY,
                        day,
                        domain,
                    )
                    .await?;
                    if !counted {
                        sqlx::query(
                            "INSERT INTO stat_referrer (day, domain, visits) VALUES (?1, ?2, 1)
                             ON CONFLICT (day, domain) DO UPDATE SET visits = visits + 1",
                        )
                        .bind(day)
                        .bind(OTHER_REFERRERS)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            Event::Filter { day, facet, value } => {
                sqlx::query(
                    "INSERT INTO stat_filter (day, facet, value, uses) VALUES (?1, ?2, ?3, 1)
                     ON CONFLICT (day, facet, value) DO UPDATE SET uses = uses + 1",
                )
                .bind(day)
                .bind(facet)
                .bind(value)
                .execute(&mut *tx)
                .await?;
            }
            Event::EmptySearch { day, query } => {
                // Past the day's cap a new search is not kept at all.
                let rows = rows_of(&mut tx, &mut days, day).await?;
                add_one(
                    &mut tx,
                    "UPDATE stat_empty_search SET searches = searches + 1 WHERE day = ?1 AND query = ?2",
                    "INSERT INTO stat_empty_search (day, query, searches) VALUES (?1, ?2, 1)",
                    &mut rows.empty_searches,
                    MAX_EMPTY_SEARCHES_PER_DAY,
                    day,
                    query,
                )
                .await?;
            }
        }
    }
    tx.commit().await
}

/// Rows a day may add to the tables that anonymous requests fill, at most
/// (review 3, N9): visitor ids (a page's and the site's, two for a visitor
/// new to both), referrer domains (the rest count as [`OTHER_REFERRERS`])
/// and searches with no results (the rest are not kept). Views are always
/// counted; past the cap of ids a visitor not seen yet is not counted as
/// new, so a flood can only make the day's visitor figure too low.
pub const MAX_SEEN_PER_DAY: i64 = 100_000;
pub const MAX_REFERRERS_PER_DAY: i64 = 1_000;
pub const MAX_EMPTY_SEARCHES_PER_DAY: i64 = 1_000;
/// The row that counts visits from domains past the day's cap.
pub const OTHER_REFERRERS: &str = "(andre)";

/// What one day holds already in the capped tables, read once per batch.
struct DayRows {
    seen: i64,
    referrers: i64,
    empty_searches: i64,
}

async fn rows_of<'a>(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    days: &'a mut HashMap<String, DayRows>,
    day: &str,
) -> Result<&'a mut DayRows, sqlx::Error> {
    if !days.contains_key(day) {
        let count = |table: &str| format!("SELECT count(*) FROM {table} WHERE day = ?1");
        let mut n = [0i64; 3];
        for (i, table) in ["stat_seen", "stat_referrer", "stat_empty_search"]
            .into_iter()
            .enumerate()
        {
            n[i] = sqlx::query_scalar(&count(table))
                .bind(day)
                .fetch_one(&mut **tx)
                .await?;
        }
        days.insert(
            day.to_string(),
            DayRows {
                seen: n[0],
                referrers: n[1],
                empty_searches: n[2],
            },
        );
    }
    Ok(days.get_mut(day).expect("inserted above"))
}

/// Records that `visitor` saw `path` on `day`: 1 if that is new, 0 if it
/// is not, or if the day has its [`MAX_SEEN_PER_DAY`] ids already.
async fn seen(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    rows: &mut DayRows,
    day: &str,
    path: &str,
    visitor: &str,
) -> Result<u64, sqlx::Error> {
    if rows.seen >= MAX_SEEN_PER_DAY {
        return Ok(0);
    }
    let new = sqlx::query(
        "INSERT INTO stat_seen (day, path, visitor) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )
    .bind(day)
    .bind(path)
    .bind(visitor)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    rows.seen += new as i64;
    Ok(new)
}

/// Adds one to the day's row for `key` (`update`), or makes a row for it
/// (`insert`) if the day has fewer than `max`; false if neither.
#[allow(clippy::too_many_arguments)]
async fn add_one(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    update: &str,
    insert: &str,
    rows: &mut i64,
    max: i64,
    day: &str,
    key: &str,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(update)
        .bind(day)
        .bind(key)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if updated > 0 {
        return Ok(true);
    }
    if *rows >= max {
        return Ok(false);
    }
    sqlx::query(insert)
        .bind(day)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    *rows += 1;
    Ok(true)
}

/// Days a referrer domain is kept: the longest period the editors'
/// statistics show. The domains are chosen by whoever sends the request.
pub const REFERRER_RETENTION_DAYS: i64 = 400;

/// Deletes referrer domains older than [`REFERRER_RETENTION_DAYS`] before `today`.
pub async fn purge_referrers(pool: &SqlitePool, today: &str) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM stat_referrer WHERE day < date(?1, '-' || ?2 || ' days')")
            .bind(today)
            .bind(REFERRER_RETENTION_DAYS)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

/// Deletes visitor ids of days that are over: their salt is gone, so they
/// can no longer match anyone, and the counts are already in `stat_page`.
pub async fn purge_seen(pool: &SqlitePool, today: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM stat_seen WHERE day < ?1")
        .bind(today)
        .execute(pool)
        .await?
        .rows_affected())
}

/// Days a search that found nothing is kept: people type names and
/// diagnoses into search boxes, and the editors need only recent gaps.
pub const EMPTY_SEARCH_RETENTION_DAYS: i64 = 90;

/// Deletes searches with no results older than
/// [`EMPTY_SEARCH_RETENTION_DAYS`] before `today`.
pub async fn purge_empty_searches(pool: &SqlitePool, today: &str) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM stat_empty_search WHERE day < date(?1, '-' || ?2 || ' days')")
            .bind(today)
            .bind(EMPTY_SEARCH_RETENTION_DAYS)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
