//! The second factor's storage: the account's TOTP secret and last step,
//! its recovery codes (hashes only), and the session stages the factor
//! moves on. The rules (codes, stages, timeouts) are `auth::factor`'s.

use sqlx::{Sqlite, SqlitePool, Transaction};

/// A session of any stage with its account, as the factor's steps read it.
#[derive(Debug, sqlx::FromRow)]
pub struct StagedSession {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub stage: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub has_factor: bool,
}

pub async fn staged_session(
    pool: &SqlitePool,
    token_hash: &str,
) -> Result<Option<StagedSession>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.username, a.display_name, a.role, s.stage, s.created_at, s.last_seen,
                a.totp_secret IS NOT NULL AS has_factor
           FROM session s JOIN account a ON a.id = s.account_id
          WHERE s.token_hash = ?1 AND a.disabled = 0",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// A session waiting for its code becomes a full one, as of `at`.
pub async fn code_accepted(
    pool: &SqlitePool,
    token_hash: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE session SET stage = 'full', created_at = ?2, last_seen = ?2
          WHERE token_hash = ?1 AND stage = 'code'",
    )
    .bind(token_hash)
    .bind(at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The account's secret (encoded) and the last time step a code was used at.
pub async fn totp_state(
    pool: &SqlitePool,
    account: i64,
) -> Result<Option<(Option<String>, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT totp_secret, totp_last_step FROM account WHERE id = ?1")
        .bind(account)
        .fetch_optional(pool)
        .await
}

/// Moves the last used step on to `step`; `false` when another request got
/// there first (a code works once).
pub async fn advance_step(pool: &SqlitePool, account: i64, step: i64) -> Result<bool, sqlx::Error> {
    let moved =
        sqlx::query("UPDATE account SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2")
            .bind(account)
            .bind(step)
            .execute(pool)
            .await?;
    Ok(moved.rows_affected() == 1)
}

/// Spends the recovery code with `code_hash`; `false` when there is none.
pub async fn spend_recovery_code(
    pool: &SqlitePool,
    account: i64,
    code_hash: &str,
) -> Result<bool, sqlx::Error> {
    let spent = sqlx::query("DELETE FROM recovery_code WHERE account_id = ?1 AND code_hash = ?2")
        .bind(account)
        .bind(code_hash)
        .execute(pool)
        .await?;
    Ok(spent.rows_affected() == 1)
}

/// Whether the account has a factor, and how many recovery codes are left.
pub async fn status(pool: &SqlitePool, account: i64) -> Result<(bool, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT totp_secret IS NOT NULL, (SELECT count(*) FROM recovery_code WHERE account_id = ?1)
           FROM account WHERE id = ?1",
    )
    .bind(account)
    .fetch_optional(pool)
    .await
    .map(|row| row.unwrap_or((false, 0)))
}

/// Sets the secret of an account that has none; `false` when it has one.
pub async fn set_first_secret(
    tx: &mut Transaction<'_, Sqlite>,
    account: i64,
    secret: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let set = sqlx::query(
        "UPDATE account SET totp_secret = ?2, totp_last_step = ?3,
                updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE id = ?1 AND totp_secret IS NULL",
    )
    .bind(account)
    .bind(secret)
    .bind(step)
    .execute(&mut **tx)
    .await?;
    Ok(set.rows_affected() == 1)
}

/// Sets the secret whatever the account had (the CLI).
pub async fn replace_secret(
    tx: &mut Transaction<'_, Sqlite>,
    account: i64,
    secret: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET totp_secret = ?2, totp_last_step = 0 WHERE id = ?1")
        .bind(account)
        .bind(secret)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the account's recovery codes with these hashes.
pub async fn store_recovery_codes(
    tx: &mut Transaction<'_, Sqlite>,
    account: i64,
    code_hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_code WHERE account_id = ?1")
        .bind(account)
        .execute(&mut **tx)
        .await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_code (account_id, code_hash) VALUES (?1, ?2)")
            .bind(account)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The set-up session `token_hash` becomes a full one.
pub async fn setup_done(
    tx: &mut Transaction<'_, Sqlite>,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE session SET stage = 'full' WHERE token_hash = ?1 AND stage = 'setup'")
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
