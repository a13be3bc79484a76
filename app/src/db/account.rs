//! Accounts as administrators manage them. Every change writes its audit
//! entry in the same transaction.

use sqlx::SqlitePool;

use super::editing::{invalid, SaveError};
use crate::{
    db::audit::{audit, AuditEntry},
    domain::account::{Role, User},
    domain::{
        account::{check_password, AccountInput, AccountRow},
        audit::{AuditAction, AuditEntity},
        form::FieldError,
    },
    secret::hash_password_off_thread,
};

pub async fn accounts(pool: &SqlitePool) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, display_name, role, disabled, totp_secret IS NOT NULL AS factor
           FROM account ORDER BY disabled, username",
    )
    .fetch_all(pool)
    .await
}

pub async fn create_account(
    pool: &SqlitePool,
    user: &User,
    input: &AccountInput,
) -> Result<i64, SaveError> {
    let username_taken = || FieldError::new("username", "Brukernavnet er i bruk. Velg et annet.");
    let mut errors = input.check();
    // The friendly check; the UNIQUE constraint below catches a race with
    // another administrator creating the same name meanwhile.
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE username = ?1")
        .bind(&input.username)
        .fetch_optional(pool)
        .await?;
    if taken.is_some() {
        errors.push(username_taken());
    }
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let hash = hash_password_off_thread(&input.password)
        .await
        .map_err(|_| SaveError::Db("hashing".into()))?;
    let mut tx = super::begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO account (username, display_name, password_hash, role) VALUES (?1, ?2, ?3, ?4) RETURNING id")
        .bind(&input.username)
        .bind(&input.display_name)
        .bind(&hash)
        .bind(&input.role)
        .fetch_one(&mut *tx)
        .await
        .map_err(|err| {
            if super::is_unique_violation(&err, "account.username") {
                SaveError::Invalid(vec![username_taken()])
            } else {
                SaveError::from(err)
            }
        })?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Create,
            entity: AuditEntity::Account,
            entity_id: Some(id),
            summary: &format!("{} ({})", input.username, input.role),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What an administrator can change about an account.
pub enum AccountChange {
    Role(Role),
    Disabled(bool),
    Password(String),
    /// Removes a lost second factor (and its recovery codes) and ends the
    /// account's sessions; another administrator's doing, never one's own.
    ResetFactor,
}

/// Changes an account. The last active administrator can be neither demoted
/// nor disabled, so the site always has someone who can manage it.
pub async fn change_account(
    pool: &SqlitePool,
    user: &User,
    id: i64,
    change: AccountChange,
) -> Result<String, SaveError> {
    let mut tx = super::begin_write(pool).await?;
    let (username, display_name, role, disabled): (String, String, String, bool) =
        sqlx::query_as("SELECT username, display_name, role, disabled FROM account WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(SaveError::NotFound)?;
    let removes_admin = role == "admin"
        && !disabled
        && matches!(
            change,
            AccountChange::Role(Role::Editor) | AccountChange::Disabled(true)
        );
    if removes_admin {
        let admins: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0",
        )
        .fetch_one(&mut *tx)
        .await?;
        if admins <= 1 {
            return Err(invalid(
                "account",
                "Nettstedet må ha minst én aktiv administrator.",
            ));
        }
    }
    let summary = match &change {
        AccountChange::Role(role) => {
            sqlx::query("UPDATE account SET role = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1")
                .bind(id)
                .bind(role.key())
                .execute(&mut *tx)
                .await?;
            format!("{username}: rolle {}", role.key())
        }
        AccountChange::Disabled(off) => {
            sqlx::query("UPDATE account SET disabled = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1")
                .bind(id)
                .bind(off)
                .execute(&mut *tx)
                .await?;
            if *off {
                sqlx::query("DELETE FROM session WHERE account_id = ?1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            format!(
                "{username}: {}",
                if *off { "deaktivert" } else { "aktivert" }
            )
        }
        AccountChange::Password(password) => {
            if let Some(error) = check_password(password, &[&username, &display_name]) {
                return Err(SaveError::Invalid(vec![error]));
            }
            let hash = hash_password_off_thread(password)
                .await
                .map_err(|_| SaveError::Db("hashing".into()))?;
            sqlx::query("UPDATE account SET password_hash = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1")
                .bind(id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
            // A new password ends the account's open sessions (but not the
            // administrator's own, when they set someone else's).
            sqlx::query("DELETE FROM session WHERE account_id = ?1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            format!("{username}: nytt passord")
        }
        AccountChange::ResetFactor => {
            if id == user.id {
                return Err(invalid(
                    "account",
                    "Du kan ikke nullstille din egen totrinnsinnlogging. Be en annen administrator om det.",
                ));
            }
            if !remove_factor(&mut tx, id).await? {
                return Err(invalid("account", "Kontoen har ikke totrinnsinnlogging."));
            }
            sqlx::query("DELETE FROM session WHERE account_id = ?1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            format!("{username}: totrinnsinnlogging nullstilt")
        }
    };
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Update,
            entity: AuditEntity::Account,
            entity_id: Some(id),
            summary: &summary,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(username)
}

/// Removes an account's factor and recovery codes inside `tx` (the caller
/// writes the audit entry). Returns whether it had one.
pub async fn remove_factor(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    account: i64,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query(
        "UPDATE account SET totp_secret = NULL, totp_last_step = 0,
                updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE id = ?1 AND totp_secret IS NOT NULL",
    )
    .bind(account)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM recovery_code WHERE account_id = ?1")
        .bind(account)
        .execute(&mut **tx)
        .await?;
    Ok(removed.rows_affected() == 1)
}
