//! The router driven without a socket, and the start-up errors.

use std::{net::SocketAddr, path::PathBuf};

use app::state::AppState;
use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use server::{Config, StartError};
use tower::ServiceExt;

async fn seeded_state(dir: &tempfile::TempDir) -> AppState {
    let pool = server::open_database(&dir.path().join("site.db")).await.unwrap();
    let content = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content");
    app::content::import_dir_if_empty(&pool, &content).await.unwrap();
    let config = Config {
        database: dir.path().join("site.db"),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: dir.path().into(),
        content_dir: content,
        public_url: None,
    };
    AppState::new(pool, server::leptos_options(&config), config.public_url())
}

async fn get(state: &AppState, uri: &str) -> (StatusCode, String) {
    let response = server::router(state.clone())
        .oneshot(Request::get(uri).header("accept", "text/html").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 10 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

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
    assert!(detail.contains("<h2>Slik fungerer det</h2>"), "the Markdown body is rendered");
}

#[tokio::test]
async fn missing_and_draft_resources_are_404() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let draft: String = sqlx::query_scalar("SELECT slug FROM resource WHERE status = 'draft' LIMIT 1")
        .fetch_one(&state.pool)
        .await
        .unwrap();

    for uri in ["/ressurser/finnes-ikke".to_string(), format!("/ressurser/{draft}"), "/ingen/side".into()] {
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

    let err = server::open_database(&blocker.join("site.db")).await.unwrap_err();

    assert!(matches!(err, StartError::DatabaseDir { .. }), "{err:?}");
    assert!(err.to_string().contains("cannot create the database folder"), "{err}");
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
    assert!(page.contains("Fjern filter Nivå: Individnivå") || page.contains("Nivå: Individnivå"), "the valid filter still applies");
}

/// Server functions anyone may call. Every other one is an admin function
/// and must refuse a request without a session, whatever its arguments.
const PUBLIC_SERVER_FNS: [&str; 5] = ["get_home", "browse_catalogue", "get_involvement_map", "get_resource", "who_am_i"];

#[tokio::test]
async fn every_admin_server_function_refuses_a_visitor_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let tables = ["resource", "resource_facet", "organisation", "facet_value", "account", "session", "audit_log"];
    let mut before = Vec::new();
    for t in tables {
        before.push(sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {t}")).fetch_one(&state.pool).await.unwrap());
    }
    // Registration happens when the router is built.
    let _ = server::router(state.clone());

    let mut checked = Vec::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let name = path.trim_start_matches("/api/");
        if PUBLIC_SERVER_FNS.iter().any(|public| name.starts_with(public)) {
            continue;
        }
        let response = server::router(state.clone())
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(!status.is_success(), "{path} answered {status}");
        assert!(body.contains("Unauthorized"), "{path} must refuse for want of a session, said: {body}");
        checked.push(name.to_string());
    }
    assert!(checked.iter().any(|n| n.starts_with("get_dashboard")), "walked: {checked:?}");

    for (t, b) in tables.iter().zip(before) {
        let after: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t}")).fetch_one(&state.pool).await.unwrap();
        assert_eq!(after, b, "{t} changed");
    }
}
