//! Shared set-up for the server tests: a seeded site and requests through
//! the router without a socket.

use std::path::PathBuf;

use app::state::AppState;
use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use server::Config;
use tower::ServiceExt;

pub async fn seeded_state(dir: &tempfile::TempDir) -> AppState {
    let pool = server::open_database(&dir.path().join("site.db"))
        .await
        .unwrap();
    let content = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content");
    app::content::import_dir_if_empty(&pool, &content)
        .await
        .unwrap();
    app::content::seed_pages(&pool, &content).await.unwrap();
    let config = Config {
        database: dir.path().join("site.db"),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: dir.path().into(),
        content_dir: content,
        public_url: None,
        feedback_retention_days: 365,
        feedback_limit: 20,
        stats: false,
        trusted_proxies: app::client::TrustedProxies::none(),
        page_cache: app::page_cache::Limits::default(),
        background: server::Background::off(),
        max_connections: server::http::listener::MAX_CONNECTIONS,
        max_connections_per_client: server::http::listener::MAX_CONNECTIONS_PER_CLIENT,
        media_quota_mb: app::state::DEFAULT_MEDIA_QUOTA_MB,
    };
    AppState::new(pool, server::leptos_options(&config), config.public_url())
}

pub async fn get(state: &AppState, uri: &str) -> (StatusCode, String) {
    let response = server::router(state.clone())
        .oneshot(
            Request::get(uri)
                .header("accept", "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The second-factor secret the helpers give every administrator: RFC
/// 6238's test secret (ASCII "12345678901234567890").
pub const ADMIN_TOTP_SECRET: &[u8] = b"12345678901234567890";

/// A signed-in session's cookie for a new account with `role`. An
/// administrator gets a second factor ([`ADMIN_TOTP_SECRET`]) and passes
/// the sign-in's second step with the current code, as a person would.
pub async fn session_cookie(
    state: &AppState,
    username: &str,
    role: app::domain::account::Role,
) -> String {
    let id = app::auth::upsert_account(
        &state.pool,
        username,
        username,
        "et langt testpassord 123",
        role,
    )
    .await
    .unwrap();
    if role == app::domain::account::Role::Admin {
        // Provisioning starts the account's steps afresh, so a code works
        // again for a new session in the same 30 seconds.
        app::auth::factor::provision(&state.pool, id, ADMIN_TOTP_SECRET)
            .await
            .unwrap();
    }
    let (token, _) = app::auth::sign_in(
        &state.pool,
        &state.sign_in,
        username,
        "et langt testpassord 123",
        &app::client::Client::unknown(),
    )
    .await
    .unwrap();
    if role == app::domain::account::Role::Admin {
        app::auth::factor::second_step(
            &state.pool,
            &state.sign_in,
            &token,
            &totp_now(ADMIN_TOTP_SECRET),
            &app::client::Client::unknown(),
        )
        .await
        .unwrap();
    }
    app::auth::session_cookie(Some(&token), state.secure_cookies)
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The code an authenticator app with `secret` shows now.
pub fn totp_now(secret: &[u8]) -> String {
    app::auth::totp::code_at(secret, app::auth::now() as u64)
}

pub async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    body: &str,
) -> (StatusCode, Option<String>, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = server::router(state.clone())
        .oneshot(request.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let body = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (
        status,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

pub async fn get_with(state: &AppState, uri: &str, cookie: &str) -> (StatusCode, String) {
    let response = server::router(state.clone())
        .oneshot(
            Request::get(uri)
                .header("accept", "text/html")
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

pub async fn table_counts(state: &AppState) -> Vec<(String, i64, String)> {
    let mut counts = Vec::new();
    for t in TRACKED_TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t}"))
            .fetch_one(&state.pool)
            .await
            .unwrap();
        counts.push((t.to_string(), n, String::new()));
    }
    // Changes in place (a rename, a status) would not change a count.
    let digest: String = sqlx::query_scalar(
        "SELECT group_concat(x, '|') FROM (
            SELECT status || version || title AS x FROM resource
            UNION ALL SELECT label || retired || position FROM facet_value
            UNION ALL SELECT role || disabled || password_hash || coalesce(digest_email, '') FROM account
            UNION ALL SELECT name FROM organisation
            UNION ALL SELECT status || coalesce(resource_id, '') FROM feedback)",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    counts.push(("digest".into(), 0, digest));
    counts
}

pub const TRACKED_TABLES: [&str; 12] = [
    "resource",
    "resource_facet",
    "resource_version",
    "organisation",
    "facet_value",
    "account",
    "session",
    "audit_log",
    "organisation_facet",
    "feedback",
    "feedback_event",
    "link_check_run",
];
