//! What every response gets on its way out: security headers with a
//! per-request CSP nonce, the same-origin rule for requests that change
//! state, caching (a weak ETag on public HTML, a year for hashed assets) and
//! Norwegian answers to the size and time limits.

use std::{
    net::SocketAddr,
    sync::atomic::{AtomicBool, Ordering},
};

use app::{client::Client, domain::area::Area, security::NONCE_HEADER, state::AppState};
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

/// The largest request body accepted, for every route but the upload of
/// files ([`crate::media_routes::UPLOAD_BODY_LIMIT`]).
pub const BODY_LIMIT: usize = 1 << 20;

/// The body limit: 1 MB, or what a file upload needs on its one route. A
/// declared length past it is refused at once (413), a body that grows past
/// it while read fails its read (the extractors answer 413).
pub async fn body_limit(request: Request, next: Next) -> Response {
    let limit = if is_upload(request.method(), request.uri().path()) {
        crate::media_routes::UPLOAD_BODY_LIMIT
    } else {
        BODY_LIMIT
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// How long the file upload may take: 20 MB from a slow line (about
/// 0.5 Mbit/s) and the resizing.
pub const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// The time limit: [`crate::REQUEST_TIMEOUT`] for every request but the
/// file upload ([`UPLOAD_TIMEOUT`]); past it the answer is 408.
pub async fn time_limit(request: Request, next: Next) -> Response {
    let limit = if is_upload(request.method(), request.uri().path()) {
        UPLOAD_TIMEOUT
    } else {
        crate::REQUEST_TIMEOUT
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && path == crate::media_routes::PATH
}

/// Browser features the site never uses.
const PERMISSIONS: &str =
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), \
    magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()";

/// Resolves who sent the request (see `app::client`) and stores it in the
/// request's extensions for every layer and handler inside.
pub async fn resolve_client(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let client = match request.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(peer) => Client::resolve(peer.0.ip(), request.headers(), &state.trusted_proxies),
        None => Client::unknown(),
    };
    if client.via_https && !state.secure_cookies && !WARNED_PLAIN_HTTP.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(
            public_url = %state.public_url,
            "a trusted proxy forwards HTTPS, but BLI_PUBLIC_URL is plain http: set BLI_PUBLIC_URL=https://… so the session cookie is Secure"
        );
    }
    request.extensions_mut().insert(client);
    next.run(request).await
}

static WARNED_PLAIN_HTTP: AtomicBool = AtomicBool::new(false);

/// Adds the security headers to every response, and the nonce the page's
/// inline scripts carry to the request (replacing any a client sent).
/// `X-Forwarded-Proto` counts only from a trusted proxy.
pub async fn headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let write = !matches!(*request.method(), Method::GET | Method::HEAD);
    let upload = is_upload(request.method(), request.uri().path());
    let nonce = app::security::new_nonce();
    let https =
        state.public_url.starts_with("https://") || Client::of(request.extensions()).via_https;
    request.headers_mut().remove(NONCE_HEADER);
    if let Ok(value) = HeaderValue::from_str(&nonce) {
        request.headers_mut().insert(NONCE_HEADER, value);
    }
    let mut response = friendly_limits(next.run(request).await, upload);
    // An answer to a POST (or any write), and a page that shows what a
    // visitor typed, is theirs alone: no cache keeps it, whatever the layers
    // inside said (review 3, N6). This layer wraps the limits' and the
    // origin check's answers too.
    if write
        || response
            .extensions()
            .get::<crate::forms::Echoed>()
            .is_some()
    {
        never_store(response.headers_mut());
    }
    let status = response.status();
    let headers = response.headers_mut();
    // A 304 keeps the policy stored with the cached page, whose scripts carry
    // that response's nonce; a new policy here would block them.
    if status != StatusCode::NOT_MODIFIED {
        if let Ok(value) =
            HeaderValue::from_str(&app::security::content_security_policy(&nonce, https))
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

/// The page navigator (`frontend/js/navigator.js`) sends forms with
/// `X-Bli-Navigation: 1` and shows whatever page comes back. A form that
/// comes back with problems (422, 409, 429, 503 …) is such a page, but a
/// browser reports every 4xx and 5xx fetch as an error in the console; so
/// for the navigator the status moves to `X-Bli-Status` and the answer is a
/// 200. Only POSTs: their answers are never cached.
pub async fn navigator_status(request: Request, next: Next) -> Response {
    let navigator = request.method() == Method::POST
        && request
            .headers()
            .get("x-bli-navigation")
            .is_some_and(|v| v.as_bytes() == b"1");
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if navigator
        && html
        && (response.status().is_client_error() || response.status().is_server_error())
    {
        let status = response.status();
        *response.status_mut() = StatusCode::OK;
        if let Ok(value) = HeaderValue::from_str(status.as_str()) {
            response.headers_mut().insert("x-bli-status", value);
        }
    }
    response
}

/// The time-out and body-limit answers in Norwegian: the layers send none
/// (or axum's English rejection), and a handler's own reason is no clearer.
fn friendly_limits(response: Response, upload: bool) -> Response {
    let message = match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE if upload => "Filen er større enn 20 MB, som er det største vi tar imot, så ingenting ble lagret. Gjør den mindre og prøv igjen.",
        StatusCode::PAYLOAD_TOO_LARGE => "Det du sendte, er for stort, så ingenting ble lagret. Gjør teksten kortere og prøv igjen.",
        StatusCode::REQUEST_TIMEOUT => "Det tok for lang tid å svare, så vi avbrøt. Ingenting ble lagret. Prøv igjen om litt.",
        _ => return response,
    };
    (
        response.status(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// What the compression layer compresses: its default (not images, not
/// tiny answers), and not the uploaded documents either: PDFs are
/// compressed inside already, DOCX, XLSX and ODT are ZIPs, and brotli over
/// 20 MB on every download would only cost time.
pub fn compressible() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/vnd."))
}

/// Refuses a request that changes state (anything but GET, HEAD, OPTIONS)
/// when a browser says it comes from another site: by `Origin`, or, when a
/// browser sends none, by `Sec-Fetch-Site`. Requests with neither (command-line
/// clients) carry no one's cookies by accident, so they pass; the session
/// cookie is `SameSite=Lax` as a second line.
pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || allowed(request.headers(), &state.public_url)
    {
        return next.run(request).await;
    }
    tracing::warn!(
        path = %request.uri().path(),
        origin = ?request.headers().get(header::ORIGIN),
        "refused a cross-site request"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Skjemaet ble sendt fra et annet nettsted, så vi tok ikke imot det. Åpne skjemaet på Bli involvert og send det derfra.",
    )
        .into_response()
}

/// Whether the request's origin is this site: the public address, or the
/// address the browser asked for (`Host`).
pub fn allowed(headers: &HeaderMap, public_url: &str) -> bool {
    match headers.get(header::ORIGIN) {
        Some(origin) => {
            let Ok(origin) = origin.to_str() else {
                return false;
            };
            if origin.eq_ignore_ascii_case(public_url.trim_end_matches('/')) {
                return true;
            }
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            match (origin.split_once("://"), host) {
                (Some(("http" | "https", authority)), Some(host)) => {
                    authority.eq_ignore_ascii_case(host)
                }
                _ => false,
            }
        }
        None => !matches!(
            headers.get("sec-fetch-site").map(HeaderValue::as_bytes),
            Some(b"cross-site" | b"same-site")
        ),
    }
}

/// Caching: the hashed bundle for a year; other static files for a day;
/// anything private (editors' pages and exports, sign-in, server functions,
/// receipts, and every answer to a request that carries a session) never
/// stored, whatever its type; other HTML revalidated every time against a
/// weak ETag (the body's hash without the nonce).
pub async fn caching(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let conditional = request.headers().get(header::IF_NONE_MATCH).cloned();
    let nonce = request
        .headers()
        .get(NONCE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let signed_in = app::auth::carries_session(request.headers());
    let revalidate = *request.method() == Method::GET;
    let mut response = next.run(request).await;
    let ok = response.status() == StatusCode::OK;
    // An uploaded file is public and its name changes with its content:
    // its own year-long `immutable` stands, for editors too.
    if ok && path.starts_with(app::domain::media::PREFIX) {
        return response;
    }
    if signed_in || Area::of(&path).is_private() {
        never_store(response.headers_mut());
        return response;
    }
    if path.starts_with("/pkg/") {
        let policy = if ok && is_hashed(&path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        return response;
    }
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        if ok && path == "/favicon.svg" {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
        }
        return response;
    }
    // Anyone may keep a public page (a proxy, a CDN), but must ask before
    // using it: with the ETag that is a cheap 304, every view is still
    // counted, and an editor's change shows at once (README: "Cache-Control").
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    if !ok || !revalidate {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The page cache stores the ETag with the page: no need to hash it again.
    let (etag, body) = match parts
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
    {
        Some(stored) => (stored.to_string(), body),
        None => {
            let Ok(bytes) = axum::body::to_bytes(body, 16 << 20).await else {
                tracing::error!(%path, "reading a rendered page failed");
                return server_error();
            };
            let etag = etag(&bytes, nonce.as_deref());
            parts.headers.insert(
                header::ETAG,
                HeaderValue::from_str(&etag).expect("hex is a valid header"),
            );
            (etag, Body::from(bytes))
        }
    };
    let matches = conditional
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_ENCODING);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, body)
}

/// `Cache-Control: private, no-store`, `Vary: Cookie` (once), no ETag.
fn never_store(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    let varies = headers
        .get_all(header::VARY)
        .iter()
        .any(|v| v.as_bytes().eq_ignore_ascii_case(b"cookie"));
    if !varies {
        headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    }
    headers.remove(header::ETAG);
}

/// The answer when something failed on our side that the visitor cannot fix.
pub fn server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Noe gikk galt hos oss. Prøv igjen om litt.",
    )
        .into_response()
}

/// `bli-involvert.<16 hex>.js` and the like, as `scripts/build.sh` names them.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    name.split('.')
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A weak validator: the page's bytes, minus this response's nonce.
pub fn etag(body: &[u8], nonce: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    match nonce.filter(|n| !n.is_empty()) {
        Some(nonce) => {
            let mut rest = body;
            while let Some(at) = find(rest, nonce.as_bytes()) {
                hasher.update(&rest[..at]);
                rest = &rest[at + nonce.len()..];
            }
            hasher.update(rest);
        }
        None => hasher.update(body),
    }
    let digest = hasher.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        headers
    }

    #[test]
    fn only_our_own_origin_may_change_state() {
        let site = "https://bli-involvert.no";
        assert!(allowed(
            &with(&[("origin", "https://bli-involvert.no")]),
            site
        ));
        assert!(allowed(
            &with(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            site
        ));
        assert!(!allowed(
            &with(&[
                ("origin", "https://evil.example"),
                ("host", "bli-involvert.no")
            ]),
            site
        ));
        assert!(!allowed(
            &with(&[("origin", "null"), ("host", "bli-involvert.no")]),
            site
        ));
        assert!(!allowed(
            &with(&[
                ("origin", "https://bli-involvert.no.evil.example"),
                ("host", "bli-involvert.no")
            ]),
            site
        ));
        assert!(!allowed(&with(&[("sec-fetch-site", "cross-site")]), site));
        assert!(allowed(&with(&[("sec-fetch-site", "same-origin")]), site));
        assert!(
            allowed(&with(&[]), site),
            "a client without Origin or fetch metadata is not a browser"
        );
    }

    #[test]
    fn the_etag_ignores_the_nonce_only() {
        let a = etag(b"<script nonce=\"aaaa\">x</script>", Some("aaaa"));
        let b = etag(b"<script nonce=\"bbbb\">x</script>", Some("bbbb"));
        let c = etag(b"<script nonce=\"bbbb\">y</script>", Some("bbbb"));
        assert_eq!(a, b);
        assert_ne!(b, c);
        assert!(a.starts_with("W/\""));
    }

    #[test]
    fn hashed_asset_names_are_recognised() {
        assert!(is_hashed("/pkg/bli-involvert.0123456789abcdef.wasm"));
        assert!(!is_hashed("/pkg/bli-involvert_bg.wasm"));
    }
}
