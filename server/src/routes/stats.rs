//! Counting page views: a layer that counts the HTML pages the server
//! renders, and the beacon the browser sends after a client-side navigation.

use app::state::AppState;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, Extensions, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Paths that are not visitors' pages: editors' pages, sign-in, receipts,
/// assets and endpoints.
fn countable_path(path: &str) -> bool {
    ![
        "/redaktor",
        "/logg-inn",
        "/auth/",
        "/api/",
        "/pkg/",
        "/tilbakemelding/kvittering/",
        "/besok",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

fn client_ip(ext: &Extensions) -> String {
    app::client::Client::of(ext).addr.to_string()
}

/// Counts a successful HTML page (GET) after it is rendered; the count goes
/// on a queue, so the response is not held up.
pub async fn count_pages(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let counted = request.method() == Method::GET
        && countable_path(request.uri().path())
        && app::db::statistics::is_clean_path(request.uri().path());
    let details = counted.then(|| {
        (
            request.headers().clone(),
            client_ip(request.extensions()),
            request.uri().path().to_string(),
        )
    });
    let response = next.run(request).await;
    if let Some((headers, ip, path)) = details {
        let html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if response.status() == StatusCode::OK && html {
            let referer = headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            state.stats.view(&headers, &ip, &path, referer.as_deref());
        }
    }
    response
}

/// `POST /besok`: the browser's note of a page it showed without asking the
/// server for HTML (a client-side navigation). The body is the path.
///
/// Anyone can send this, so it counts only what a visitor could have seen:
/// a clean path (no whitespace, control characters or backslashes anywhere)
/// of a public page that exists, from a client within its own budget.
pub async fn beacon(
    State(state): State<AppState>,
    ext: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let path = text.split(['?', '#']).next().unwrap_or_default();
    if body.len() > 300 || !app::db::statistics::is_clean_path(path) {
        return StatusCode::BAD_REQUEST.into_response();
    }
    if !state.stats.countable(&headers) {
        return StatusCode::NO_CONTENT.into_response();
    }
    if !state.beacon_limiter.allow(&app::client::Client::of(&ext)) {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    // A page of ours that is not counted (a receipt, an editors' page) or is
    // not there is not an error: the browser sends every navigation and
    // reads no answer.
    match app::db::statistics::is_public_page(&state.pool, path).await {
        Ok(true) => state.stats.view(&headers, &client_ip(&ext), path, None),
        Ok(false) => {}
        Err(err) => tracing::error!(error = %err, "checking a counted page failed"),
    }
    StatusCode::NO_CONTENT.into_response()
}
