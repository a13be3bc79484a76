//! The page cache's middleware (the cache itself: `app::page_cache`):
//! answers anonymous GETs for public pages from memory, fills the cache on
//! a miss. Handlers that save start a new generation themselves.

use app::{
    page_cache::{compress, Accepted, Coding, BEST_BROTLI, FAST_BROTLI},
    security::NONCE_HEADER,
    state::AppState,
};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};

/// Whether a request may be answered from the cache (or fill it).
pub fn cacheable(request: &Request) -> bool {
    request.method() == Method::GET
        && !app::domain::area::Area::of(request.uri().path()).is_private()
        && !request.uri().path().starts_with("/pkg/")
        && !app::auth::carries_session(request.headers())
}

/// The middleware: serves and fills the cache. It never guesses a write
/// from a request's method and status (anyone can POST; review 3, N4): a
/// handler that saved public content starts a new generation itself, with
/// `state.pages.invalidate()` or, for the catalogue, with
/// `state.catalogue.invalidate()` (part of the epoch below), after its
/// `forms::gate` let the editor in.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = &state.pages;
    // With the cache off (`BLI_PAGE_CACHE_MB=0`) a public page still takes
    // the path below, as a page not yet cached does: compressed here with a
    // window fitted to it (tower-http's layer would set up brotli's largest
    // window, 4 MB zeroed per response: 15 % of a first view's time), and
    // not kept (`put` keeps nothing at size 0).
    if !cacheable(&request) {
        return next.run(request).await;
    }
    let key = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_string(),
        |pq| pq.as_str().to_string(),
    );
    let accepted = Accepted::of(request.headers());
    // The epoch: this cache's generation and the catalogue's invalidations
    // (handlers that save call `state.catalogue.invalidate()`), both only grow.
    let epoch = cache.generation() + state.catalogue.invalidations();
    if let Some((headers, body, coding)) = cache.get(&key, accepted, epoch) {
        cache.count(true);
        if accepted.brotli {
            if let Some(identity) = cache.upgrade_candidate(&key, epoch) {
                let cache = state.pages.clone();
                tokio::task::spawn_blocking(move || {
                    let best = compress(&identity, Coding::Brotli, BEST_BROTLI);
                    cache.upgraded(&key, epoch, best);
                });
            }
        }
        return answer(headers, body, coding);
    }
    cache.count(false);
    let forgets = cache.forgets();
    let nonce = request
        .headers()
        .get(NONCE_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK
        || !html
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 << 20).await else {
        tracing::error!(path = %key, "reading a rendered page failed");
        return crate::http::security::server_error();
    };
    let bytes = match nonce.as_deref() {
        Some(nonce) => without_empty_hydration_state(bytes, nonce),
        None => bytes,
    };
    if nonce.is_some_and(|n| contains(&bytes, n.as_bytes())) {
        // The page holds this response's nonce (an inline script): it can
        // only be sent once.
        return Response::from_parts(parts, Body::from(bytes));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    let etag = crate::http::security::etag(&bytes, None);
    parts.headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex is a valid header"),
    );
    // A first view: the fast coding (zstd for a browser that takes it); a
    // best brotli copy follows in the background if the page is asked for again.
    let coding = accepted.fast();
    let compressed = (coding != Coding::Identity).then(|| compress(&bytes, coding, FAST_BROTLI));
    cache.put_rendered(
        forgets,
        key,
        epoch,
        parts.headers.clone(),
        bytes.clone(),
        compressed.clone().map(|c| (coding, c)),
    );
    answer(parts.headers, compressed.unwrap_or(bytes), coding)
}

/// After a resource was saved: forgets the cached pages it can change, and
/// keeps the rest. Every page but the resource pages goes (lists, searches,
/// the front page, organisation and entry pages: few, and any of them may
/// show it); of the resource pages, the saved one (by its old and new
/// slug) and those that link it, or all of them when its facet values
/// changed (another page's "related" list may then gain or lose it).
pub fn resource_saved(state: &AppState, change: &app::db::index_cache::SavedChange) {
    let links: Vec<String> = change
        .slugs
        .iter()
        .map(|slug| format!("href=\"/ressurser/{slug}\""))
        .collect();
    let dropped = state.pages.forget(|key, page| {
        let path = key.split('?').next().unwrap_or(key);
        let Some(slug) = path.strip_prefix("/ressurser/") else {
            return true;
        };
        change.values_changed
            || change.slugs.iter().any(|s| s == slug)
            || std::str::from_utf8(page)
                .map_or(true, |page| links.iter().any(|link| page.contains(link)))
    });
    rerender(state, dropped);
}

/// How many of the pages a save dropped are rendered again at once.
const RERENDER: usize = 8;

/// Renders the most viewed of the pages a save dropped again, one after
/// another in the background, so their next visitor gets them from memory.
/// The requests go through the whole router as an anonymous browser's
/// would (a bot's user agent keeps them out of the statistics).
pub fn rerender(state: &AppState, keys: Vec<String>) {
    use tower::ServiceExt;
    let state = state.clone();
    tokio::spawn(async move {
        for key in keys.into_iter().take(RERENDER) {
            let Ok(request) = axum::http::Request::get(key.as_str())
                .header(header::ACCEPT, "text/html")
                .header(header::ACCEPT_ENCODING, "br")
                .header(header::USER_AGENT, "bli-involvert page cache bot")
                .body(Body::empty())
            else {
                continue;
            };
            let response = crate::router(state.clone())
                .oneshot(request)
                .await
                .unwrap_or_else(|never| match never {});
            let _ = axum::body::to_bytes(response.into_body(), 16 << 20).await;
        }
    });
}

fn answer(mut headers: HeaderMap, body: Bytes, coding: Coding) -> Response {
    if let Some(value) = coding.header() {
        headers.insert(header::CONTENT_ENCODING, value);
    }
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers;
    response
}

/// Leptos ends every page it streams with two small inline scripts after
/// `</html>` that set up hydration's bookkeeping, carrying the response's
/// nonce. On a visitors' page nothing hydrates, and when they hold nothing
/// (no resource was serialised: no island on the page) they do nothing; so
/// they go, and the page no longer differs per response. Anything else
/// after `</html>` is left, and keeps the page out of the cache.
pub fn without_empty_hydration_state(page: Bytes, nonce: &str) -> Bytes {
    let empty = format!(
        "</html><script nonce=\"{nonce}\">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script><script nonce=\"{nonce}\">__INCOMPLETE_CHUNKS=[];</script>"
    );
    if page.ends_with(empty.as_bytes()) {
        page.slice(..page.len() - empty.len() + "</html>".len())
    } else {
        page
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    // memchr's searcher: comparing every window (a memcmp a byte) was 5 %
    // of an uncached `/ressurser` (issue 30's profile).
    !needle.is_empty() && memchr::memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_empty_hydration_state_is_dropped() {
        let nonce = "0123456789abcdef0123456789abcdef";
        let tail = format!("<script nonce=\"{nonce}\">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script><script nonce=\"{nonce}\">__INCOMPLETE_CHUNKS=[];</script>");
        let page = Bytes::from(format!("<html><body>x</body></html>{tail}"));
        assert_eq!(
            without_empty_hydration_state(page, nonce),
            Bytes::from("<html><body>x</body></html>")
        );
        let full = Bytes::from(format!(
            "<html></html><script nonce=\"{nonce}\">__RESOLVED_RESOURCES=[1];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script><script nonce=\"{nonce}\">__INCOMPLETE_CHUNKS=[];</script>"
        ));
        assert_eq!(without_empty_hydration_state(full.clone(), nonce), full);
        let other = Bytes::from(format!(
            "<html></html>{}",
            tail.replace(nonce, "ffffffffffffffffffffffffffffffff")
        ));
        assert_eq!(without_empty_hydration_state(other.clone(), nonce), other);
    }
}
