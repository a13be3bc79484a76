//! Server functions' errors with their own status (review 3, I-2).
//!
//! leptos' server-function handler answers every `Err` with 500, so an
//! anonymous probe of an editors' function showed up as a server error in
//! monitoring. The body is the `AppError`, JSON-encoded; this layer gives
//! the answer that error's status instead: 401 for no session, 403 for the
//! wrong role, 404, 400, 503. The browser's decoder reads any 4xx or 5xx as
//! the error, so nothing changes for the pages.

use app::error::AppError;
use axum::{
    body::Body,
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// An error body is one short JSON value; anything longer is left alone.
const LARGEST_ERROR: usize = 64 << 10;

pub async fn error_status(request: Request, next: Next) -> Response {
    let server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LARGEST_ERROR).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(status) = serde_json::from_slice::<AppError>(&bytes)
        .ok()
        .and_then(|err| StatusCode::from_u16(err.status()).ok())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
