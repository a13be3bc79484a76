//! What needs the editors (server only): the counts behind the dashboard's
//! summary and the e-mail digest, and each editor's opt-in to the digest.

use sqlx::SqlitePool;

use crate::domain::links::Attention;

/// How many titles a list in the summary names.
const TITLES: i64 = 10;

/// The moment seven days ago, as SQLite writes timestamps, for `attention`.
pub async fn week_ago(pool: &SqlitePool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7 days')")
        .fetch_one(pool)
        .await
}

/// What needs the editors, counting feedback and answers received after
/// `since` (ISO 8601 UTC); broken links and reviews due are counted as they
/// stand now.
pub async fn attention(pool: &SqlitePool, since: &str) -> Result<Attention, sqlx::Error> {
    let new_feedback: i64 =
        sqlx::query_scalar("SELECT count(*) FROM feedback WHERE created_at > ?1")
            .bind(since)
            .fetch_one(pool)
            .await?;
    let answers = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT c.title, '/redaktor/innspill/' || c.slug, count(r.id)
           FROM consultation c JOIN consultation_response r ON r.consultation_id = c.id
          WHERE c.status = 'published' AND c.closes_on >= date('now') AND r.created_at > ?1
          GROUP BY c.id ORDER BY c.closes_on, c.title",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    let broken_links: i64 = sqlx::query_scalar("SELECT count(*) FROM link WHERE broken = 1")
        .fetch_one(pool)
        .await?;
    let broken_in = sqlx::query_as::<_, (String, String)>(
        "SELECT DISTINCT coalesce(r.title, p.title),
                CASE WHEN r.id IS NOT NULL THEN '/redaktor/ressurser/' || r.slug
                     ELSE '/redaktor/sider/' || p.slug END
           FROM link l JOIN link_use u ON u.link_id = l.id
           LEFT JOIN resource r ON r.id = u.resource_id
           LEFT JOIN page p ON p.id = u.page_id
          WHERE l.broken = 1 ORDER BY 1 LIMIT ?1",
    )
    .bind(TITLES)
    .fetch_all(pool)
    .await?;
    const DUE: &str = "status = 'published' AND (last_reviewed IS NULL OR last_reviewed < date('now', '-12 months'))";
    let due_review: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM resource WHERE {DUE}"))
        .fetch_one(pool)
        .await?;
    let due_titles = sqlx::query_as::<_, (String, String)>(&format!(
        "SELECT title, '/redaktor/ressurser/' || slug FROM resource WHERE {DUE}
          ORDER BY coalesce(last_reviewed, ''), title LIMIT ?1"
    ))
    .bind(TITLES)
    .fetch_all(pool)
    .await?;
    Ok(Attention {
        new_feedback,
        answers,
        broken_links,
        broken_in,
        due_review,
        due_titles,
    })
}

/// The address an editor gets the digest at, if they opted in.
pub async fn opt_in(pool: &SqlitePool, account_id: i64) -> Result<Option<String>, sqlx::Error> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT digest_email FROM account WHERE id = ?1")
            .bind(account_id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// Opts an editor in (with an address) or out (`None`, which forgets the
/// address). Opting in starts the first period now. A new address waits
/// for confirmation (review 3, I-3): returns whether it does.
pub async fn set_opt_in(
    pool: &SqlitePool,
    account_id: i64,
    email: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let waiting: Option<i64> = sqlx::query_scalar(
        "UPDATE account SET digest_email = ?2,
                digest_confirmed = CASE WHEN ?2 IS NULL THEN 1
                    WHEN digest_email IS ?2 THEN digest_confirmed ELSE 0 END,
                digest_confirm_hash = CASE WHEN digest_email IS ?2 THEN digest_confirm_hash END,
                digest_sent_at = CASE WHEN ?2 IS NULL THEN NULL
                    ELSE coalesce(digest_sent_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) END
          WHERE id = ?1
          RETURNING digest_confirmed = 0",
    )
    .bind(account_id)
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(waiting == Some(1))
}

/// Editors whose new address has had no confirmation e-mail yet: (account
/// id, address).
pub async fn awaiting_confirmation(pool: &SqlitePool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, digest_email FROM account
          WHERE digest_email IS NOT NULL AND digest_confirmed = 0
            AND digest_confirm_hash IS NULL AND disabled = 0
          ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

/// Keeps the hash of the code a confirmation e-mail carries (`None`: the
/// e-mail failed, try again).
pub async fn confirmation_code(
    pool: &SqlitePool,
    account_id: i64,
    hash: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE account SET digest_confirm_hash = ?2 WHERE id = ?1 AND digest_confirmed = 0",
    )
    .bind(account_id)
    .bind(hash)
    .execute(pool)
    .await?;
    Ok(())
}

/// Confirms the signed-in editor's address if `hash` is its code's.
pub async fn confirm(pool: &SqlitePool, account_id: i64, hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE account SET digest_confirmed = 1, digest_confirm_hash = NULL
          WHERE id = ?1 AND digest_confirmed = 0 AND digest_confirm_hash = ?2",
    )
    .bind(account_id)
    .bind(hash)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An editor whose digest period is over: (account id, address, period start).
pub type Recipient = (i64, String, String);

/// Editors who opted in, whose account is active, and whose last period
/// ended at least `interval_secs` ago.
pub async fn due(pool: &SqlitePool, interval_secs: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, digest_email, coalesce(digest_sent_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7 days'))
           FROM account
          WHERE digest_email IS NOT NULL AND disabled = 0 AND digest_confirmed = 1
            AND (digest_sent_at IS NULL
                 OR (julianday('now') - julianday(digest_sent_at)) * 86400.0 >= ?1 - 0.5)
          ORDER BY id",
    )
    .bind(interval_secs as f64)
    .fetch_all(pool)
    .await
}

/// Ends an editor's period now (a digest went out, or there was nothing to say).
pub async fn period_done(pool: &SqlitePool, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE account SET digest_sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
    )
    .bind(account_id)
    .execute(pool)
    .await?;
    Ok(())
}
