//! Requests that cannot be answered as asked, refused before they reach
//! Leptos (security review 3, N13).
//!
//! - A request target that is not a path (`GET ressurser`, `GET .`, `*`
//!   for anything but OPTIONS): Leptos unwraps the URI's path and panics,
//!   and the client got no answer. Now 400.
//! - HTTP/1.1 without a `Host`, or any request with more than one or with
//!   one that is not a host (RFC 9112 §3.2): 400. Checked by the listener
//!   only, on what came over the socket; requests built in tests carry none.
//! - A very long path: 414; a path segment longer than any file name can
//!   be (`NAME_MAX`): 404. Either used to reach the static-file service,
//!   whose "File name too long" was logged as an error.

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode, Version},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The longest path accepted (`PATH_MAX` is 4,096; no page's path comes
/// near). The query is not limited here: long searches get their own
/// answer, and hyper bounds the whole head.
pub const MAX_PATH: usize = 2048;

/// The longest path segment: no file name (`NAME_MAX`) or slug is longer.
pub const MAX_SEGMENT: usize = 255;

/// The router's outermost check: the request target.
pub async fn well_formed(request: Request, next: Next) -> Response {
    match target_refusal(request.method(), request.uri()) {
        Some(refusal) => refusal,
        None => next.run(request).await,
    }
}

/// The answer to a request whose target cannot be served, if it is one.
pub fn target_refusal(method: &Method, uri: &axum::http::Uri) -> Option<Response> {
    let path = uri.path();
    if path == "*" {
        return Some(if *method == Method::OPTIONS {
            // The server's own options: what any of its paths may accept.
            (
                StatusCode::NO_CONTENT,
                [(header::ALLOW, "GET, HEAD, POST, OPTIONS")],
            )
                .into_response()
        } else {
            bad_request()
        });
    }
    if !path.starts_with('/') {
        return Some(bad_request());
    }
    if path.len() > MAX_PATH {
        return Some(plain(
            StatusCode::URI_TOO_LONG,
            "Adressen er for lang. Sjekk lenken og prøv igjen.",
        ));
    }
    if path.split('/').any(|segment| segment.len() > MAX_SEGMENT) {
        return Some(plain(
            StatusCode::NOT_FOUND,
            "Vi finner ikke denne siden. Sjekk adressen, eller gå til forsiden.",
        ));
    }
    None
}

/// The answer to a request whose `Host` breaks RFC 9112 §3.2, if it does:
/// none on HTTP/1.1, more than one, or one that is not a host.
pub fn host_refusal<B>(request: &axum::http::Request<B>) -> Option<Response> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let fine = match (hosts.next(), hosts.next()) {
        (None, _) => request.version() != Version::HTTP_11,
        (Some(host), None) => host
            .to_str()
            .ok()
            .and_then(|h| h.parse::<axum::http::uri::Authority>().ok())
            .is_some_and(|a| !a.host().is_empty() && a.as_str().find('@').is_none()),
        (Some(_), Some(_)) => false,
    };
    (!fine).then(bad_request)
}

fn bad_request() -> Response {
    plain(
        StatusCode::BAD_REQUEST,
        "Forespørselen var ugyldig, så vi kunne ikke svare på den.",
    )
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    let mut response = Response::new(Body::from(message));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
