//! Who is signed in, and what they may do.
//!
//! Server only (`ssr`): the sign-in (through the throttle in `crate::throttle`),
//! sessions (random token in an HttpOnly cookie, only its SHA-256 stored, in
//! `db::session`), the second factor, and `require`, which every admin
//! server function calls first. The user and their role are
//! `domain::account::{User, Role}`.

#[cfg(feature = "ssr")]
pub use server::*;
#[cfg(feature = "ssr")]
pub mod device;
#[cfg(feature = "ssr")]
pub mod factor;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
pub use crate::throttle::Throttle;

#[cfg(feature = "ssr")]
mod server {
    use std::time::{SystemTime, UNIX_EPOCH};

    use sqlx::SqlitePool;

    use crate::{
        client::Client,
        db::audit::{audit, Actor, AuditEntry},
        db::session,
        domain::account::{Role, User},
        domain::audit::{AuditAction, AuditEntity},
        error::AppError,
        throttle::{Refused, Throttle},
    };

    /// The session cookie's name over HTTPS: `__Host-` makes browsers refuse
    /// it unless it is `Secure`, for this host only and for every path, so a
    /// sibling subdomain cannot plant a session of its own ("cookie tossing").
    pub const SECURE_SESSION_COOKIE: &str = "__Host-bli_okt";
    /// The name on plain http, which only a loopback address is allowed.
    pub const SESSION_COOKIE: &str = "bli_okt";

    pub fn cookie_name(secure: bool) -> &'static str {
        if secure {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }
    /// A session ends after this long without a request.
    pub const IDLE_TIMEOUT_SECS: i64 = 4 * 60 * 60;
    /// And after this long in any case.
    pub const MAX_AGE_SECS: i64 = 7 * 24 * 60 * 60;
    pub use crate::throttle::{
        FAILURE_WINDOW_SECS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_CLIENT,
    };

    pub fn now() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }

    pub use crate::secret::{
        hash_password, hash_password_off_thread, new_token, sha256_hex, verify_password,
    };

    /// Why a sign-in failed; the messages never say whether the user exists.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum SignInError {
        WrongCredentials,
        Locked,
        /// Every password check is busy; nothing was counted.
        Busy,
        /// The account's hourly budget is spent and this browser has never
        /// signed in to it (review 3, N2).
        UnknownDevice,
        Db,
    }

    impl SignInError {
        pub fn message(&self) -> &'static str {
            match self {
                SignInError::WrongCredentials => "Feil brukernavn eller passord.",
                SignInError::Locked => {
                    "For mange mislykkede forsøk. Vent et kvarter og prøv igjen."
                }
                SignInError::Busy => "Mange logger inn akkurat nå. Vent litt og prøv igjen.",
                SignInError::UnknownDevice => crate::domain::account::UNKNOWN_DEVICE_MESSAGE,
                SignInError::Db => "Noe gikk galt hos oss. Prøv igjen om litt.",
            }
        }
    }

    impl From<Refused> for SignInError {
        fn from(refused: Refused) -> Self {
            match refused {
                Refused::Locked => SignInError::Locked,
                Refused::Busy => SignInError::Busy,
                Refused::UnknownDevice => SignInError::UnknownDevice,
            }
        }
    }

    impl From<sqlx::Error> for SignInError {
        fn from(err: sqlx::Error) -> Self {
            tracing::error!(error = %err, "sign-in database error");
            SignInError::Db
        }
    }

    /// Checks user name and password and opens a session. Returns the new
    /// session token (for the cookie) and the user. The attempt is counted
    /// by `throttle` before the password is checked (see [`Throttle`]).
    pub async fn sign_in(
        pool: &SqlitePool,
        throttle: &Throttle,
        username: &str,
        password: &str,
        client: &Client,
    ) -> Result<(String, User), SignInError> {
        sign_in_on(pool, throttle, username, password, client, None).await
    }

    /// [`sign_in`] from a browser that may carry a known-device token
    /// ([`super::device`]): it is let in when the account's budget is spent.
    pub async fn sign_in_on(
        pool: &SqlitePool,
        throttle: &Throttle,
        username: &str,
        password: &str,
        client: &Client,
        device: Option<&str>,
    ) -> Result<(String, User), SignInError> {
        let device = super::device::recognise(pool, device, username).await;
        let attempt = throttle
            .reserve_from(username, client, device.as_deref())
            .map_err(|refused| {
                tracing::warn!("sign-in refused: too many failures");
                SignInError::from(refused)
            })?;
        // Each earlier failure on the account makes the next answer slower.
        if !attempt.delay.is_zero() {
            tokio::time::sleep(attempt.delay).await;
        }
        let row = match session::sign_in_account(pool, username).await {
            Ok(row) => row,
            Err(err) => {
                attempt.release();
                return Err(err.into());
            }
        };
        // An unknown user is checked against a dummy hash: the same work,
        // the same time, the same answer.
        let phc = row.as_ref().map(|a| a.password_hash.as_str());
        let account_id = row.as_ref().map(|a| a.id);
        let verified = match throttle.verify(password, phc).await {
            Ok(verified) => verified,
            Err(refused) => {
                attempt.busy();
                return Err(refused.into());
            }
        };
        let Some(account) = row.filter(|_| verified) else {
            tracing::info!("sign-in failed");
            if attempt.spends_the_budget {
                super::device::report_spent_budget(pool, account_id, username).await;
            }
            return Err(SignInError::WrongCredentials);
        };
        attempt.succeeded();
        let role = Role::parse(&account.role).unwrap_or(Role::Editor);
        let id = account.id;
        let at = now();
        // A fresh token at every sign-in: a session id known before sign-in is worthless after.
        let token = new_token();
        // With a factor (or an administrator without one), the session is
        // not a full one until the code is in or the factor set up (N11).
        let stage = super::factor::Stage::after_password(role, account.has_factor);
        session::open(pool, &sha256_hex(&token), id, at, stage.key()).await?;
        audit(
            pool,
            AuditEntry {
                by: Actor {
                    account_id: Some(id),
                    name: &account.username,
                },
                action: AuditAction::SignIn,
                entity: AuditEntity::Account,
                entity_id: Some(id),
                summary: stage.audit_note(),
            },
        )
        .await?;
        Ok((
            token,
            User {
                id,
                username: account.username,
                display_name: account.display_name,
                role,
            },
        ))
    }

    /// The user behind a session token, if the session is alive and full
    /// (past the second factor; an administrator's only with a factor set
    /// up, review 3 N11); touches it.
    pub async fn session_user(pool: &SqlitePool, token: &str) -> Result<Option<User>, sqlx::Error> {
        let at = now();
        let hash = sha256_hex(token);
        let Some(found) = session::full_session(pool, &hash).await? else {
            return Ok(None);
        };
        if at - found.last_seen > IDLE_TIMEOUT_SECS || at - found.created_at > MAX_AGE_SECS {
            session::close(pool, &hash).await?;
            return Ok(None);
        }
        if at - found.last_seen > 60 {
            session::touch(pool, &hash, at).await?;
        }
        Ok(Some(found.user))
    }

    pub async fn sign_out(pool: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
        session::close(pool, &sha256_hex(token)).await
    }

    /// Creates an account, or sets a new password (and role) for an existing one.
    pub async fn upsert_account(
        pool: &SqlitePool,
        username: &str,
        display_name: &str,
        password: &str,
        role: Role,
    ) -> Result<i64, AppError> {
        let hash = hash_password_off_thread(password).await?;
        Ok(session::upsert_account(pool, username, display_name, &hash, role).await?)
    }

    /// Why a request may not go on, from [`authorize`].
    #[derive(Debug)]
    pub enum Denied {
        /// No live session: sign in first.
        SignedOut,
        /// Signed in, but the role does not allow it.
        WrongRole,
        /// The session could not be read (the cause is logged).
        Failed(AppError),
    }

    /// The signed-in user of a request with these headers, if any.
    pub async fn user_from_headers(
        state: &crate::state::AppState,
        headers: &axum::http::HeaderMap,
    ) -> Result<Option<User>, AppError> {
        let Some(token) = session_token(headers, state.secure_cookies) else {
            return Ok(None);
        };
        Ok(session_user(&state.pool, &token).await?)
    }

    /// The one authorisation check, for server functions ([`require`]) and
    /// the form handlers in `server` (`forms::gate`) alike: the request must
    /// carry a live session whose role allows `role`.
    pub async fn authorize(
        state: &crate::state::AppState,
        headers: &axum::http::HeaderMap,
        role: Role,
    ) -> Result<User, Denied> {
        match user_from_headers(state, headers).await {
            Err(err) => Err(Denied::Failed(err)),
            Ok(None) => Err(Denied::SignedOut),
            Ok(Some(user)) if !user.role.allows(role) => {
                tracing::warn!(user = %user.username, needed = role.key(), "refused: role");
                Err(Denied::WrongRole)
            }
            Ok(Some(user)) => Ok(user),
        }
    }

    /// The headers of the current server function's request.
    async fn request_headers() -> Result<axum::http::HeaderMap, AppError> {
        leptos_axum::extract().await.map_err(|_| AppError::Internal)
    }

    /// The signed-in user of the current request, if any.
    pub async fn current_user() -> Result<Option<User>, AppError> {
        let state = crate::state::state()?;
        user_from_headers(&state, &request_headers().await?).await
    }

    /// The first thing every admin server function does: [`authorize`],
    /// with the refusal as the error the page shows (sign in first, or no
    /// access).
    pub async fn require(role: Role) -> Result<(crate::state::AppState, User), AppError> {
        let state = crate::state::state()?;
        match authorize(&state, &request_headers().await?, role).await {
            Ok(user) => Ok((state, user)),
            Err(Denied::SignedOut) => Err(AppError::Unauthorized),
            Err(Denied::WrongRole) => Err(AppError::Forbidden),
            Err(Denied::Failed(err)) => Err(err),
        }
    }

    /// The session token in a request's `Cookie` headers (every one of them:
    /// HTTP/2 may send one per cookie). Read as bytes, so one byte that is
    /// not visible ASCII in another cookie (a sibling subdomain's) does not
    /// hide the session (review 3, I-4).
    pub fn session_token(headers: &axum::http::HeaderMap, secure: bool) -> Option<String> {
        headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .find_map(|value| token_from_cookie_bytes(value.as_bytes(), secure))
    }

    /// Reads the session cookie from a `Cookie` header value: only the name
    /// this site uses (`secure`: the `__Host-` one), only a well-formed token.
    pub fn token_from_cookie_header(header: &str, secure: bool) -> Option<String> {
        token_from_cookie_bytes(header.as_bytes(), secure)
    }

    fn token_from_cookie_bytes(header: &[u8], secure: bool) -> Option<String> {
        super::device::token_in(header, cookie_name(secure))
    }

    /// Whether a request carries something that looks like a session under
    /// either name: such a request's answer is never stored anywhere. The
    /// same reading as [`session_token`], so the two always agree.
    pub fn carries_session(headers: &axum::http::HeaderMap) -> bool {
        session_token(headers, true).is_some() || session_token(headers, false).is_some()
    }

    /// The `Set-Cookie` value for a session token (or for clearing it).
    pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
        let name = cookie_name(secure);
        let secure = if secure { "; Secure" } else { "" };
        match token {
            Some(token) => format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"),
            None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn passwords_hash_with_argon2id_and_verify() {
            let hash = hash_password("riktig hest batteri stift").unwrap();
            assert!(hash.starts_with("$argon2id$"), "{hash}");
            assert!(verify_password("riktig hest batteri stift", &hash));
            assert!(!verify_password("feil", &hash));
            assert!(!verify_password("x", "ikke en hash"));
        }

        #[test]
        fn cookie_parsing_accepts_only_well_formed_tokens() {
            let token = "a".repeat(64);
            assert_eq!(
                token_from_cookie_header(&format!("x=1; {SESSION_COOKIE}={token}"), false),
                Some(token.clone())
            );
            assert_eq!(
                token_from_cookie_header(&format!("{SESSION_COOKIE}=kort"), false),
                None
            );
            assert_eq!(token_from_cookie_header("annet=1", false), None);
        }

        #[test]
        fn over_https_only_the_host_prefixed_cookie_counts() {
            let token = "b".repeat(64);
            // A sibling subdomain can set `bli_okt` for the parent domain, never `__Host-bli_okt`.
            let tossed = format!(
                "{SESSION_COOKIE}={}; {SECURE_SESSION_COOKIE}={token}",
                "a".repeat(64)
            );
            assert_eq!(token_from_cookie_header(&tossed, true), Some(token.clone()));
            assert_eq!(
                token_from_cookie_header(&format!("{SESSION_COOKIE}={token}"), true),
                None
            );
            let mut headers = axum::http::HeaderMap::new();
            let mut odd = b"a=\xff; ".to_vec();
            odd.extend(format!("{SESSION_COOKIE}={token}").bytes());
            let odd = axum::http::HeaderValue::from_bytes(&odd).unwrap();
            headers.insert(axum::http::header::COOKIE, odd);
            assert!(carries_session(&headers));
        }

        #[test]
        fn the_session_cookie_is_http_only_and_lax() {
            let cookie = session_cookie(Some("abc"), true);
            assert!(
                cookie.starts_with("__Host-bli_okt=abc; Path=/;"),
                "{cookie}"
            );
            assert!(
                cookie.contains("HttpOnly")
                    && cookie.contains("SameSite=Lax")
                    && cookie.contains("Secure")
            );
            assert!(
                !cookie.contains("Domain"),
                "a __Host- cookie must not name a domain"
            );
            assert!(!session_cookie(Some("abc"), false).contains("Secure"));
            assert!(session_cookie(None, false).contains("Max-Age=0"));
        }

        #[test]
        fn roles_include_each_other_one_way() {
            assert!(Role::Admin.allows(Role::Editor));
            assert!(Role::Editor.allows(Role::Editor));
            assert!(!Role::Editor.allows(Role::Admin));
        }
    }
}
