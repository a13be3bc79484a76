//! Regression tests for the findings of the second and third security
//! reviews (`SECURITY.md` lists each finding with its test). Each one fails
//! on the code the review read.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::{domain::account::Role, state::AppState};
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, Response, StatusCode},
};
use tower::ServiceExt;

use crate::common::*;

mod account_budget;
mod clients;
mod connections;
mod lost_updates;
mod no_store;
mod page_cache;
mod records;
mod second_factor;
mod sessions;
mod sign_in_form;
mod statistics;
mod targets;

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

/// A request as it arrives from `peer`, with extra headers.
fn from(
    peer: &str,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Request<Body> {
    let peer: SocketAddr = peer.parse().unwrap();
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("accept", "text/html")
        .header("user-agent", BROWSER)
        .header("content-type", "application/x-www-form-urlencoded")
        .extension(ConnectInfo(peer));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

async fn send(state: &AppState, request: Request<Body>) -> (Response<()>, String) {
    let response = server::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, 10 << 20).await.unwrap();
    (
        Response::from_parts(parts, ()),
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn header<'a>(response: &'a Response<()>, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

/// A seeded site that counts visits; the receiver gets what it counted.
async fn counting_state(
    dir: &tempfile::TempDir,
) -> (AppState, tokio::sync::mpsc::Receiver<app::stats::Event>) {
    let mut state = seeded_state(dir).await;
    let (recorder, events) = app::stats::Recorder::new(&state.public_url);
    state.stats = Arc::new(recorder);
    (state, events)
}

fn viewed(events: &mut tokio::sync::mpsc::Receiver<app::stats::Event>) -> Vec<String> {
    let mut paths = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let app::stats::Event::View { path, .. } = event {
            paths.push(path);
        }
    }
    paths
}

async fn published_slug(state: &AppState) -> String {
    sqlx::query_scalar("SELECT slug FROM resource WHERE status = 'published' ORDER BY slug LIMIT 1")
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

async fn add_draft(state: &AppState) {
    sqlx::query("INSERT INTO resource (slug, title, summary, body, status) VALUES ('hemmelig-utkast', 'Hemmelig utkasttittel', 'x', 'x', 'draft')")
        .execute(&state.pool)
        .await
        .unwrap();
}

async fn add_page_row(state: &AppState, path: &str, views: i64) {
    sqlx::query("INSERT INTO stat_page (day, path, views, visitors) VALUES (?1, ?2, ?3, 1)")
        .bind(app::stats::today())
        .bind(path)
        .bind(views)
        .execute(&state.pool)
        .await
        .unwrap();
}

/// A sign-in attempt from `peer`, forwarded for `forwarded_for`.
async fn sign_in(
    state: &AppState,
    peer: &str,
    forwarded_for: &str,
    password: &str,
) -> Response<()> {
    let body = format!(
        "brukernavn=redaktor&passord={}",
        app::query::encode(password)
    );
    send(
        state,
        from(
            peer,
            "POST",
            "/auth/logg-inn",
            &[("x-forwarded-for", forwarded_for)],
            &body,
        ),
    )
    .await
    .0
}
