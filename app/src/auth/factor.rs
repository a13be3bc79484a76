//! The second factor (review 3, N11), server only: the stages a session
//! passes through, the sign-in's second step (a code from the app or a
//! recovery code, throttled like passwords), and turning a factor on, off
//! or (by another administrator) resetting it. Every change is audited.
//!
//! Sign-in with a factor: the password opens a session in stage
//! [`Stage::Code`], which [`super::session_user`] does not accept; the code
//! makes it [`Stage::Full`]. An administrator without a factor gets
//! [`Stage::Setup`]: the set-up page is all such a session can reach.

use sqlx::SqlitePool;

use super::{now, sha256_hex, totp};
use crate::domain::account::{Role, User};
use crate::throttle::Throttle;
use crate::{
    client::Client,
    db::audit::{audit, Actor, AuditEntry},
    db::factor as db_factor,
    domain::audit::{AuditAction, AuditEntity},
};

/// How long a session may wait for its code or its set-up.
pub const PENDING_SECS: i64 = 10 * 60;

/// The throttle's user-name prefix for second steps: codes are counted
/// apart from passwords for the account, and with them for the client. No
/// user name can hold a newline.
const CODE_KEY: &str = "\nengangskode\n";

/// Where a session is on its way to a full sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Signed in.
    Full,
    /// Past the password; waits for a code.
    Code,
    /// An administrator past the password, without a factor: must set one up.
    Setup,
}

impl Stage {
    pub fn key(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Code => "code",
            Stage::Setup => "setup",
        }
    }

    fn parse(s: &str) -> Stage {
        match s {
            "full" => Stage::Full,
            "setup" => Stage::Setup,
            _ => Stage::Code,
        }
    }

    /// The stage a correct password leads to.
    pub fn after_password(role: Role, has_factor: bool) -> Stage {
        match (has_factor, role) {
            (true, _) => Stage::Code,
            (false, Role::Admin) => Stage::Setup,
            (false, Role::Editor) => Stage::Full,
        }
    }

    /// What the sign-in's audit entry adds.
    pub fn audit_note(self) -> &'static str {
        match self {
            Stage::Full => "",
            Stage::Code => "passord riktig, venter på engangskode",
            Stage::Setup => "passord riktig, må sette opp totrinnsinnlogging",
        }
    }
}

/// A session's user and stage, whatever the stage (an administrator's full
/// session without a factor counts as [`Stage::Setup`]). Pending sessions
/// end after [`PENDING_SECS`].
pub async fn session_stage(
    pool: &SqlitePool,
    token: &str,
) -> Result<Option<(User, Stage)>, sqlx::Error> {
    let hash = sha256_hex(token);
    let Some(db_factor::StagedSession {
        id,
        username,
        display_name,
        role,
        stage,
        created_at: created,
        last_seen,
        has_factor,
    }) = db_factor::staged_session(pool, &hash).await?
    else {
        return Ok(None);
    };
    let at = now();
    let role = Role::parse(&role).unwrap_or(Role::Editor);
    let mut stage = Stage::parse(&stage);
    let expired = match stage {
        Stage::Full => {
            at - last_seen > super::IDLE_TIMEOUT_SECS || at - created > super::MAX_AGE_SECS
        }
        Stage::Code | Stage::Setup => at - created > PENDING_SECS,
    };
    if expired {
        crate::db::session::close(pool, &hash).await?;
        return Ok(None);
    }
    if stage == Stage::Full && role == Role::Admin && !has_factor {
        stage = Stage::Setup;
    }
    let user = User {
        id,
        username,
        display_name,
        role,
    };
    Ok(Some((user, stage)))
}

/// Why a second step failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// No session waiting for a code (never signed in, or too late).
    Expired,
    /// Not a code that works now (wrong, used, or too old).
    Wrong,
    /// Too many wrong codes from this client.
    Locked,
    /// The database failed (logged).
    Db,
}

impl From<sqlx::Error> for CodeError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "second factor database error");
        CodeError::Db
    }
}

/// The second step of a sign-in: `typed` is a code from the app (accepted
/// once, one step either side) or an unused recovery code (deleted as it is
/// used). Counted by `throttle` under a key of its own before it is
/// checked, as passwords are. Success makes the session full.
pub async fn second_step(
    pool: &SqlitePool,
    throttle: &Throttle,
    token: &str,
    typed: &str,
    client: &Client,
) -> Result<User, CodeError> {
    let Some((user, Stage::Code)) = session_stage(pool, token).await? else {
        return Err(CodeError::Expired);
    };
    let attempt = throttle
        .reserve(&format!("{CODE_KEY}{}", user.username), client)
        .map_err(|_| {
            tracing::warn!("second step refused: too many failures");
            CodeError::Locked
        })?;
    if !attempt.delay.is_zero() {
        tokio::time::sleep(attempt.delay).await;
    }
    let how = match check_code(pool, user.id, typed).await {
        Ok(Some(how)) => how,
        Ok(None) => {
            tracing::info!("second step failed");
            return Err(CodeError::Wrong);
        }
        Err(err) => {
            attempt.release();
            return Err(err.into());
        }
    };
    attempt.succeeded();
    let at = now();
    db_factor::code_accepted(pool, &sha256_hex(token), at).await?;
    audit(
        pool,
        AuditEntry {
            by: (&user).into(),
            action: AuditAction::SignIn,
            entity: AuditEntity::Account,
            entity_id: Some(user.id),
            summary: how,
        },
    )
    .await?;
    Ok(user)
}

/// Checks and spends a code: `Some(how)` if it worked.
async fn check_code(
    pool: &SqlitePool,
    account: i64,
    typed: &str,
) -> Result<Option<&'static str>, sqlx::Error> {
    if totp::clean_code(typed).is_some() {
        let row = db_factor::totp_state(pool, account).await?;
        let Some((Some(secret), last_step)) = row else {
            return Ok(None);
        };
        let Some(secret) = totp::decode_secret(&secret) else {
            return Ok(None);
        };
        let Some(step) = totp::accepted_step(&secret, typed, now() as u64, last_step) else {
            return Ok(None);
        };
        // Only one request can move the step on: a code works once.
        let moved = db_factor::advance_step(pool, account, step as i64).await?;
        return Ok(moved.then_some("med engangskode"));
    }
    let Some(hash) = totp::recovery_hash(typed) else {
        return Ok(None);
    };
    let spent = db_factor::spend_recovery_code(pool, account, &hash).await?;
    Ok(spent.then_some("med gjenopprettingskode"))
}

pub use crate::db::factor::status;

/// Why a factor was not turned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnableError {
    /// The code does not match the secret shown (or is not a code).
    Wrong,
    /// The secret the form carried is not one.
    BadSecret,
    /// The account has a factor already.
    AlreadyOn,
    Db,
}

impl From<sqlx::Error> for EnableError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "second factor set-up database error");
        EnableError::Db
    }
}

/// Turns the factor on with `secret_b32`, once `typed` proves the app has
/// it, and makes the session `token` full (an administrator's set-up
/// session). Returns the ten new recovery codes, to be shown once.
pub async fn enable(
    pool: &SqlitePool,
    user: &User,
    token: &str,
    secret_b32: &str,
    typed: &str,
) -> Result<Vec<String>, EnableError> {
    let secret = totp::decode_secret(secret_b32).ok_or(EnableError::BadSecret)?;
    let step = totp::accepted_step(&secret, typed, now() as u64, 0).ok_or(EnableError::Wrong)?;
    let codes = totp::new_recovery_codes();
    let mut tx = crate::db::begin_write(pool).await?;
    if !db_factor::set_first_secret(&mut tx, user.id, &totp::encode_secret(&secret), step as i64)
        .await?
    {
        return Err(EnableError::AlreadyOn);
    }
    store_recovery_codes(&mut tx, user.id, &codes).await?;
    db_factor::setup_done(&mut tx, &sha256_hex(token)).await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: user.into(),
            action: AuditAction::Update,
            entity: AuditEntity::Account,
            entity_id: Some(user.id),
            summary: &format!("{}: totrinnsinnlogging slått på", user.username),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

async fn store_recovery_codes(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    account: i64,
    codes: &[String],
) -> Result<(), sqlx::Error> {
    let hashes: Vec<String> = codes
        .iter()
        .map(|code| totp::recovery_hash(code).unwrap_or_default())
        .collect();
    db_factor::store_recovery_codes(tx, account, &hashes).await
}

/// An editor turns their own factor off. Administrators must keep theirs:
/// `Ok(false)` and nothing changed.
pub async fn disable_own(pool: &SqlitePool, user: &User) -> Result<bool, sqlx::Error> {
    if user.role == Role::Admin {
        return Ok(false);
    }
    let mut tx = crate::db::begin_write(pool).await?;
    if crate::db::account::remove_factor(&mut tx, user.id).await? {
        audit(
            &mut *tx,
            AuditEntry {
                by: user.into(),
                action: AuditAction::Update,
                entity: AuditEntity::Account,
                entity_id: Some(user.id),
                summary: &format!("{}: totrinnsinnlogging slått av", user.username),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Gives an account a factor with a secret an operator chose (the CLI's
/// `set-password --totp-secret`): no code is asked for, the old recovery
/// codes go, and new ones are returned.
pub async fn provision(
    pool: &SqlitePool,
    account: i64,
    secret: &[u8],
) -> Result<Vec<String>, sqlx::Error> {
    let codes = totp::new_recovery_codes();
    let mut tx = crate::db::begin_write(pool).await?;
    db_factor::replace_secret(&mut tx, account, &totp::encode_secret(secret)).await?;
    store_recovery_codes(&mut tx, account, &codes).await?;
    audit(
        &mut *tx,
        AuditEntry {
            by: Actor {
                account_id: None,
                name: "cli",
            },
            action: AuditAction::Update,
            entity: AuditEntity::Account,
            entity_id: Some(account),
            summary: "totrinnsinnlogging satt fra kommandolinjen",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}
