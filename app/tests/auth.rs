//! Sign-in, sessions and throttling against the real migrations.
#![cfg(feature = "ssr")]

use app::{
    auth::{self, Role, SignInError},
    db,
};
use sqlx::SqlitePool;

async fn with_editor() -> SqlitePool {
    let pool = db::connect_in_memory().await.unwrap();
    db::migrate(&pool).await.unwrap();
    auth::upsert_account(&pool, "kari", "Kari Nordmann", "et langt og godt passord", Role::Editor).await.unwrap();
    pool
}

#[tokio::test]
async fn the_right_password_opens_a_session() {
    let pool = with_editor().await;

    let (token, user) = auth::sign_in(&pool, "Kari", "et langt og godt passord", "127.0.0.1").await.unwrap();

    assert_eq!(user.username, "kari");
    assert_eq!(user.role, Role::Editor);
    assert_eq!(auth::session_user(&pool, &token).await.unwrap(), Some(user));
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM session").fetch_one(&pool).await.unwrap();
    assert_ne!(stored, token, "only a hash of the token is stored");
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'sign-in'").fetch_one(&pool).await.unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let pool = with_editor().await;
    let wrong = auth::sign_in(&pool, "kari", "feil passord", "10.0.0.1").await.unwrap_err();
    let unknown = auth::sign_in(&pool, "ola", "feil passord", "10.0.0.1").await.unwrap_err();
    assert_eq!(wrong, SignInError::WrongCredentials);
    assert_eq!(unknown, SignInError::WrongCredentials);
    assert_eq!(wrong.message(), unknown.message());
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM session").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn repeated_failures_lock_the_user_name_even_for_the_right_password() {
    let pool = with_editor().await;
    for i in 0..auth::MAX_FAILURES_PER_ACCOUNT {
        let client = format!("10.0.0.{i}"); // different clients: the account limit applies
        assert_eq!(auth::sign_in(&pool, "kari", "gjett", &client).await.unwrap_err(), SignInError::WrongCredentials);
    }
    let locked = auth::sign_in(&pool, "kari", "et langt og godt passord", "10.9.9.9").await.unwrap_err();
    assert_eq!(locked, SignInError::Locked);
    // Unknown names lock the same way, so locking reveals nothing either.
    for _ in 0..auth::MAX_FAILURES_PER_ACCOUNT {
        let _ = auth::sign_in(&pool, "finnes-ikke", "gjett", "10.1.1.1").await;
    }
    assert_eq!(auth::sign_in(&pool, "finnes-ikke", "gjett", "10.1.1.2").await.unwrap_err(), SignInError::Locked);
    // After the window the account opens again.
    sqlx::query("UPDATE login_failure SET at = at - ?1").bind(auth::FAILURE_WINDOW_SECS + 1).execute(&pool).await.unwrap();
    assert!(auth::sign_in(&pool, "kari", "et langt og godt passord", "10.9.9.9").await.is_ok());
}

#[tokio::test]
async fn one_client_guessing_many_names_is_limited() {
    let pool = with_editor().await;
    for i in 0..auth::MAX_FAILURES_PER_CLIENT {
        let _ = auth::sign_in(&pool, &format!("navn{i}"), "gjett", "10.6.6.6").await;
    }
    assert_eq!(
        auth::sign_in(&pool, "kari", "et langt og godt passord", "10.6.6.6").await.unwrap_err(),
        SignInError::Locked
    );
}

#[tokio::test]
async fn idle_sessions_expire_and_sign_in_rotates_the_token() {
    let pool = with_editor().await;
    let (first, _) = auth::sign_in(&pool, "kari", "et langt og godt passord", "c").await.unwrap();
    let (second, _) = auth::sign_in(&pool, "kari", "et langt og godt passord", "c").await.unwrap();
    assert_ne!(first, second);

    sqlx::query("UPDATE session SET last_seen = last_seen - ?1").bind(auth::IDLE_TIMEOUT_SECS + 1).execute(&pool).await.unwrap();

    assert_eq!(auth::session_user(&pool, &first).await.unwrap(), None);
    assert_eq!(auth::session_user(&pool, &second).await.unwrap(), None);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM session").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0, "expired sessions are deleted");
}

#[tokio::test]
async fn a_new_password_and_sign_out_end_sessions() {
    let pool = with_editor().await;
    let (token, _) = auth::sign_in(&pool, "kari", "et langt og godt passord", "c").await.unwrap();
    auth::sign_out(&pool, &token).await.unwrap();
    assert_eq!(auth::session_user(&pool, &token).await.unwrap(), None);

    let (token, _) = auth::sign_in(&pool, "kari", "et langt og godt passord", "c").await.unwrap();
    auth::upsert_account(&pool, "kari", "Kari Nordmann", "et helt nytt passord her", Role::Editor).await.unwrap();
    assert_eq!(auth::session_user(&pool, &token).await.unwrap(), None);
    assert!(auth::sign_in(&pool, "kari", "et helt nytt passord her", "c").await.is_ok());
}
