//! Counting page views: a layer that counts the HTML pages the server
//! renders, and the beacon the browser sends after a client-side navigation.

use std::net::SocketAddr;

use app::state::AppState;
use axum::{
    body::{Body, Bytes},
    extract::{ConnectInfo, Request, State},
    http::{header, Extensions, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Paths that are not visitors' pages: editors' pages, sign-in, receipts,
/// assets and endpoints.
fn countable_path(path: &str) -> bool {
    !["/redaktor", "/logg-inn", "/auth/", "/api/", "/pkg/", "/tilbakemelding/kvittering/", "/besok"]
        .iter()
        .any(|p| path.starts_with(p))
}

fn client_ip(ext: &Extensions) -> String {
    ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default()
}

/// Counts a successful HTML page (GET) after it is rendered; the count goes
/// on a queue, so the response is not held up.
pub async fn count_pages(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let counted = request.method() == Method::GET && countable_path(request.uri().path());
    let details = counted.then(|| {
        (request.headers().clone(), client_ip(request.extensions()), request.uri().path().to_string())
    });
    let response = next.run(request).await;
    if let Some((headers, ip, path)) = details {
        let html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if response.status() == StatusCode::OK && html {
            let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_string);
            state.stats.view(&headers, &ip, &path, referer.as_deref());
        }
    }
    response
}

/// `POST /besok`: the browser's note of a page it showed without asking the
/// server for HTML (a client-side navigation). The body is the path.
pub async fn beacon(State(state): State<AppState>, ext: Extensions, headers: HeaderMap, body: Bytes) -> Response {
    let path = String::from_utf8_lossy(&body).trim().to_string();
    if body.len() > 300 || !path.starts_with('/') || path.starts_with("//") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    // A page of ours that is not counted (a receipt, an editors' page) is
    // not an error: the browser sends every navigation and reads no answer.
    if countable_path(&path) {
        let path = path.split(['?', '#']).next().unwrap_or("/").to_string();
        state.stats.view(&headers, &client_ip(&ext), &path, None);
    }
    StatusCode::NO_CONTENT.into_response()
}
