//! Known devices: browsers that have signed in to an account before
//! (review 3, N2).
//!
//! After a successful sign-in the browser gets a long-lived cookie
//! (`__Host-bli_enhet`: `HttpOnly`, `Secure`, `SameSite=Strict`, `Path=/`)
//! holding a random token; the database keeps only the token's SHA-256 and
//! the account, as for sessions. When an account's hourly budget of failed
//! sign-ins is spent ([`crate::throttle::ACCOUNT_BUDGET`]), only a browser
//! with a token for that account is let in, with a budget of its own; so
//! guessing from many addresses neither gets more than the budget nor
//! locks the editor out.
//!
//! Why a stored token and not a signed one: the server has no signing key
//! that outlives a restart (the throttle's secret is made at start-up), and
//! a stored token can be revoked: a new password removes the account's
//! devices (a trigger in the migration), and a disabled account has none.

use sqlx::SqlitePool;

use super::{now, sha256_hex};
use crate::{
    db::{
        audit::{audit, Actor, AuditEntry},
        session,
    },
    domain::audit::{AuditAction, AuditEntity},
};

/// The cookie's name over HTTPS (see the session cookie for `__Host-`).
pub const SECURE_DEVICE_COOKIE: &str = "__Host-bli_enhet";
/// The name on plain http, which only a loopback address is allowed.
pub const DEVICE_COOKIE: &str = "bli_enhet";
/// How long a browser stays known: the longest a browser keeps a cookie.
pub const MAX_AGE_SECS: i64 = 400 * 24 * 60 * 60;
/// Devices remembered per account; the oldest go first.
pub const PER_ACCOUNT: i64 = 20;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_DEVICE_COOKIE
    } else {
        DEVICE_COOKIE
    }
}

/// The device token in a request's `Cookie` headers, if well formed.
pub fn token(headers: &axum::http::HeaderMap, secure: bool) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .find_map(|value| token_in(value.as_bytes(), cookie_name(secure)))
}

/// The value of cookie `name` in one `Cookie` header, if it is a token (64
/// hex digits). Read as bytes, so an odd byte elsewhere hides nothing.
pub(crate) fn token_in(header: &[u8], name: &str) -> Option<String> {
    header.split(|&b| b == b';').find_map(|pair| {
        let pair = pair.trim_ascii();
        let eq = pair.iter().position(|&b| b == b'=')?;
        let (key, value) = (&pair[..eq], &pair[eq + 1..]);
        (key == name.as_bytes() && value.len() == 64 && value.iter().all(u8::is_ascii_hexdigit))
            .then(|| String::from_utf8_lossy(value).into_owned())
    })
}

/// The `Set-Cookie` value that makes this browser known.
pub fn cookie(token: &str, secure: bool) -> String {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={token}; Path=/; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Strict{secure}")
}

/// The device's id (its token's hash) if `token` belongs to the account
/// `username` (as the sign-in looks it up) and is not too old. A database
/// error counts as unknown: the budget still holds.
pub async fn recognise(pool: &SqlitePool, token: Option<&str>, username: &str) -> Option<String> {
    let hash = sha256_hex(token?);
    session::known_device(pool, &hash, username, now() - MAX_AGE_SECS)
        .await
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "known device lookup failed");
            None
        })
}

/// After a successful sign-in: the `Set-Cookie` value for a new device
/// token, unless the browser already holds one for this account.
pub async fn remember(
    pool: &SqlitePool,
    account_id: i64,
    current: Option<&str>,
    secure: bool,
) -> Option<String> {
    let result: Result<Option<String>, sqlx::Error> = async {
        if let Some(current) = current {
            let hash = sha256_hex(current);
            if session::is_known_device(pool, &hash, account_id, now() - MAX_AGE_SECS).await? {
                return Ok(None);
            }
        }
        let token = super::new_token();
        session::remember_device(
            pool,
            &sha256_hex(&token),
            account_id,
            now(),
            now() - MAX_AGE_SECS,
            PER_ACCOUNT,
        )
        .await?;
        Ok(Some(cookie(&token, secure)))
    }
    .await;
    result.unwrap_or_else(|err| {
        tracing::error!(error = %err, "could not remember the device");
        None
    })
}

/// Tells the administrators (in the audit log, which they read on the
/// audit page) that an account's budget is spent and unknown browsers are
/// refused. Only for accounts that exist; called once per spent budget.
pub async fn report_spent_budget(pool: &SqlitePool, account_id: Option<i64>, username: &str) {
    let Some(id) = account_id else {
        return;
    };
    tracing::warn!(
        account = id,
        "sign-in budget spent: unknown browsers refused"
    );
    let summary = format!(
        "{}: {} mislykkede innlogginger siste time; bare nettlesere som har vært logget inn før, slippes inn",
        username.trim(),
        crate::throttle::ACCOUNT_BUDGET
    );
    if let Err(err) = audit(
        pool,
        AuditEntry {
            by: Actor {
                account_id: Some(id),
                name: "innloggingsvakten",
            },
            action: AuditAction::SignInBudget,
            entity: AuditEntity::Account,
            entity_id: Some(id),
            summary: &summary,
        },
    )
    .await
    {
        tracing::error!(error = %err, "could not write the spent budget to the audit log");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_cookie_is_host_prefixed_strict_and_long_lived() {
        let cookie = cookie(&"c".repeat(64), true);
        assert!(cookie.starts_with("__Host-bli_enhet="), "{cookie}");
        for part in [
            "Path=/",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Max-Age=34560000",
        ] {
            assert!(cookie.contains(part), "{part} in {cookie}");
        }
        assert!(!cookie.contains("Domain"));
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            format!(
                "bli_enhet={}; __Host-bli_enhet={}",
                "a".repeat(64),
                "b".repeat(64)
            )
            .parse()
            .unwrap(),
        );
        assert_eq!(token(&headers, true), Some("b".repeat(64)));
        assert_eq!(token(&headers, false), Some("a".repeat(64)));
    }
}
