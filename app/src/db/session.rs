//! Sessions and the account rows a sign-in reads: the storage under
//! `auth`'s rules (timeouts, stages and the throttle stay there). A session
//! is stored by its token's SHA-256, never by the token.

use sqlx::SqlitePool;

use crate::domain::account::{Role, User};

/// An active account, as a sign-in checks it.
#[derive(Debug, sqlx::FromRow)]
pub struct SignInAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub has_factor: bool,
}

/// The active account called `username` (trimmed), if any.
pub async fn sign_in_account(
    pool: &SqlitePool,
    username: &str,
) -> Result<Option<SignInAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, display_name, password_hash, role, totp_secret IS NOT NULL AS has_factor
           FROM account WHERE username = ?1 AND disabled = 0",
    )
    .bind(username.trim())
    .fetch_optional(pool)
    .await
}

/// Opens a session at `stage` for `account`.
pub async fn open(
    pool: &SqlitePool,
    token_hash: &str,
    account: i64,
    at: i64,
    stage: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO session (token_hash, account_id, created_at, last_seen, stage) VALUES (?1, ?2, ?3, ?3, ?4)")
        .bind(token_hash)
        .bind(account)
        .bind(at)
        .bind(stage)
        .execute(pool)
        .await?;
    Ok(())
}

/// A full session (past the second factor; an administrator's only with a
/// factor set up, review 3 N11) and its user.
pub struct FullSession {
    pub user: User,
    pub created_at: i64,
    pub last_seen: i64,
}

pub async fn full_session(
    pool: &SqlitePool,
    token_hash: &str,
) -> Result<Option<FullSession>, sqlx::Error> {
    let row = sqlx::query_as::<_, (i64, String, String, String, i64, i64)>(
        "SELECT a.id, a.username, a.display_name, a.role, s.created_at, s.last_seen
           FROM session s JOIN account a ON a.id = s.account_id
          WHERE s.token_hash = ?1 AND a.disabled = 0 AND s.stage = 'full'
            AND (a.role <> 'admin' OR a.totp_secret IS NOT NULL)",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(id, username, display_name, role, created_at, last_seen)| FullSession {
            user: User {
                id,
                username,
                display_name,
                role: Role::parse(&role).unwrap_or(Role::Editor),
            },
            created_at,
            last_seen,
        },
    ))
}

/// Ends one session.
pub async fn close(pool: &SqlitePool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM session WHERE token_hash = ?1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks a session as seen at `at`.
pub async fn touch(pool: &SqlitePool, token_hash: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE session SET last_seen = ?2 WHERE token_hash = ?1")
        .bind(token_hash)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

/// Creates an account, or sets a new password hash (and role) for an
/// existing one; every open session of the account ends.
pub async fn upsert_account(
    pool: &SqlitePool,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO account (username, display_name, password_hash, role) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,
             role = excluded.role, disabled = 0,
             updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         RETURNING id",
    )
    .bind(username.trim())
    .bind(display_name.trim())
    .bind(password_hash)
    .bind(role.key())
    .fetch_one(pool)
    .await?;
    sqlx::query("DELETE FROM session WHERE account_id = ?1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(id)
}

/// The known device `token_hash` of the active account `username`, if it
/// was remembered after `since`.
pub async fn known_device(
    pool: &SqlitePool,
    token_hash: &str,
    username: &str,
    since: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT d.token_hash FROM known_device d JOIN account a ON a.id = d.account_id
          WHERE d.token_hash = ?1 AND a.username = ?2 AND a.disabled = 0 AND d.created_at > ?3",
    )
    .bind(token_hash)
    .bind(username.trim())
    .bind(since)
    .fetch_optional(pool)
    .await
}

/// Whether `token_hash` is a device of `account` remembered after `since`.
pub async fn is_known_device(
    pool: &SqlitePool,
    token_hash: &str,
    account: i64,
    since: i64,
) -> Result<bool, sqlx::Error> {
    let known: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM known_device WHERE token_hash = ?1 AND account_id = ?2 AND created_at > ?3",
    )
    .bind(token_hash)
    .bind(account)
    .bind(since)
    .fetch_optional(pool)
    .await?;
    Ok(known.is_some())
}

/// Remembers a device of `account` at `at`, and forgets the account's
/// devices beyond the newest `keep` and every device from before `since`.
pub async fn remember_device(
    pool: &SqlitePool,
    token_hash: &str,
    account: i64,
    at: i64,
    since: i64,
    keep: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO known_device (token_hash, account_id, created_at) VALUES (?1, ?2, ?3)",
    )
    .bind(token_hash)
    .bind(account)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM known_device WHERE created_at <= ?1 OR token_hash IN (
            SELECT token_hash FROM known_device WHERE account_id = ?2
             ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?3)",
    )
    .bind(since)
    .bind(account)
    .bind(keep)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}
