//! The router driven without a socket, and the start-up errors.

use std::{net::SocketAddr, path::PathBuf};

use app::state::AppState;
use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use server::{Config, StartError};
use tower::ServiceExt;

use crate::common::*;

mod access;
mod concurrency;
mod contract;
mod pages;
mod visitors;

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;

    let (status, body) = get(&state, "/health").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("ok"));

    state.pool.close().await;
    let (status, _) = get(&state, "/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;

    let (status, home) = get(&state, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains(r#"<html lang="nb""#), "lang attribute");
    assert!(home.contains("Når du skal involvere brukere i ditt kompetansesenter"));

    let (status, detail) = get(&state, "/ressurser/feedbackinformerte-tjenester-fit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("<title>Feedbackinformerte tjenester (FIT) – Bli involvert</title>"));
    assert!(
        detail.contains("<h2>Slik fungerer det</h2>"),
        "the Markdown body is rendered"
    );
}

#[tokio::test]
async fn missing_and_draft_resources_are_404() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let draft: String =
        sqlx::query_scalar("SELECT slug FROM resource WHERE status = 'draft' LIMIT 1")
            .fetch_one(&state.pool)
            .await
            .unwrap();

    for uri in [
        "/ressurser/finnes-ikke".to_string(),
        format!("/ressurser/{draft}"),
        "/ingen/side".into(),
    ] {
        let (status, body) = get(&state, &uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(body.contains("Siden finnes ikke"), "{uri}");
    }
}

#[tokio::test]
async fn an_unwritable_database_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();

    let err = server::open_database(&blocker.join("site.db"))
        .await
        .unwrap_err();

    assert!(matches!(err, StartError::DatabaseDir { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("cannot create the database folder"),
        "{err}"
    );
}

#[tokio::test]
async fn a_port_in_use_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = taken.local_addr().unwrap();
    let config = Config {
        database: dir.path().join("site.db"),
        addr,
        site_root: dir.path().into(),
        content_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
        public_url: None,
        feedback_retention_days: 365,
        feedback_limit: 20,
        stats: false,
        trusted_proxies: app::client::TrustedProxies::none(),
        page_cache: app::page_cache::Limits::default(),
        background: server::Background::off(),
        max_connections: server::listener::MAX_CONNECTIONS,
        max_connections_per_client: server::listener::MAX_CONNECTIONS_PER_CLIENT,
        media_quota_mb: app::state::DEFAULT_MEDIA_QUOTA_MB,
    };

    let err = server::serve(config).await.unwrap_err();

    assert!(matches!(err, StartError::AddrInUse { .. }), "{err:?}");
    assert!(err.to_string().contains("already in use"), "{err}");
}

#[tokio::test]
async fn malformed_catalogue_parameters_never_fail() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    for uri in [
        "/ressurser?nivaa=%FF%FE&side=-1&sort=%3Cscript%3E",
        "/ressurser?q=%22%29%28*%20NEAR%20OR&nivaa=individ",
        "/ressurser?%%%&=&&side=99999999999999999999",
        "/ressurser.csv?q=%00",
        "/ressurser.atom?organisasjon=finnes-ikke",
    ] {
        let (status, _) = get(&state, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
    }
    let (_, page) = get(&state, "/ressurser?nivaa=individ&finnes=ikke&side=abc").await;
    assert!(
        page.contains("Fjern filter Nivå: Individnivå") || page.contains("Nivå: Individnivå"),
        "the valid filter still applies"
    );
}

/// `set-password` applies the accounts form's one rule: 12 to 200 characters.
#[test]
fn set_password_refuses_what_the_accounts_form_refuses() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let run = |password: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bli-involvert"))
            .args(["--database"])
            .arg(dir.path().join("site.db"))
            .args([
                "--log",
                "warn",
                "set-password",
                "--username",
                "ola",
                "--role",
                "editor",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let output = child.wait_with_output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, stderr) = run(&"x".repeat(201));
    assert!(!ok && stderr.contains("200"), "{stderr}");
    let (ok, stderr) = run("kort");
    assert!(!ok && stderr.contains("12"), "{stderr}");
    let (ok, stderr) = run(&"et langt passord ".repeat(11)[..187]);
    assert!(ok, "{stderr}");
}
