//! Hardening: security headers, the same-origin rule, limits, caching,
//! storage failures, reads during a long write, graceful shutdown, backups.

use std::{path::PathBuf, time::Duration};

use app::state::AppState;
use axum::{
    body::Body,
    http::{Request, Response, StatusCode},
};
use server::Config;
use sqlx::{sqlite::SqliteConnectOptions, Connection};
use tower::ServiceExt;

use crate::common::*;

mod caching;
mod lifecycle;
mod storage;

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

fn header<'a>(response: &'a Response<()>, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

fn form(uri: &str) -> axum::http::request::Builder {
    Request::post(uri).header("content-type", "application/x-www-form-urlencoded")
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_scripts_carry_the_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    for uri in [
        "/",
        "/ressurser?nivaa=individ",
        "/ressurser/erfaringsbasert-kvalitetssikring",
        "/finnes-ikke",
        "/health",
        "/sitemap.xml",
        "/redaktor",
    ] {
        // A nonce sent by the client is replaced, never used.
        let request = Request::get(uri)
            .header("x-bli-csp-nonce", "0123456789abcdef0123456789abcdef")
            .body(Body::empty())
            .unwrap();
        let (response, body) = send(&state, request).await;
        let csp =
            header(&response, "content-security-policy").unwrap_or_else(|| panic!("{uri}: no CSP"));
        assert!(
            csp.contains("default-src 'self'")
                && csp.contains("'wasm-unsafe-eval'")
                && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("0123456789abcdef0123456789abcdef"),
            "{uri}: {csp}"
        );
        assert_eq!(
            header(&response, "x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            Some("strict-origin-when-cross-origin")
        );
        assert!(header(&response, "permissions-policy")
            .unwrap()
            .contains("camera=()"));
        assert_eq!(header(&response, "x-frame-options"), Some("DENY"));
        assert_eq!(
            header(&response, "strict-transport-security"),
            None,
            "plain HTTP gets no HSTS"
        );
        if header(&response, "content-type").is_some_and(|t| t.starts_with("text/html")) {
            let nonce = csp
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap();
            let scripts: Vec<&str> = body
                .split("<script")
                .skip(1)
                .map(|s| &s[..s.find('>').unwrap()])
                .collect();
            assert!(!scripts.is_empty(), "{uri}: the page boots the bundle");
            for attrs in scripts {
                if attrs.contains("application/ld+json") {
                    continue; // data, never executed
                }
                // A script file of the site's own, allowed by 'self': the
                // visitors' page navigator, with no nonce so the page can be
                // cached. Anything inline needs this response's nonce.
                if attrs.contains("src=\"/pkg/") && !attrs.contains("src=\"/pkg/..") {
                    assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
                    continue;
                }
                assert!(
                    attrs.contains(&format!("nonce=\"{nonce}\"")),
                    "{uri}: an inline script without this response's nonce: {attrs}"
                );
            }
        }
    }

    // Behind HTTPS the browser is told to stay there.
    let mut https = state.clone();
    https.public_url = "https://bli-involvert.example".into();
    let (response, _) = send(&https, Request::get("/").body(Body::empty()).unwrap()).await;
    assert!(header(&response, "strict-transport-security")
        .unwrap()
        .starts_with("max-age="));
    assert!(header(&response, "content-security-policy")
        .unwrap()
        .contains("upgrade-insecure-requests"));
    // HTTPS ended at a trusted proxy counts too; a client's own claim does not.
    let mut proxied = state.clone();
    proxied.trusted_proxies =
        std::sync::Arc::new(app::client::TrustedProxies::parse("127.0.0.1").unwrap());
    let via = |peer: [u8; 4]| {
        Request::get("/")
            .header("x-forwarded-proto", "https")
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                peer, 40000,
            ))))
            .body(Body::empty())
            .unwrap()
    };
    let (response, _) = send(&proxied, via([127, 0, 0, 1])).await;
    assert!(
        header(&response, "strict-transport-security").is_some(),
        "HTTPS ended at a proxy counts too"
    );
    let (response, _) = send(&proxied, via([192, 0, 2, 1])).await;
    assert!(
        header(&response, "strict-transport-security").is_none(),
        "X-Forwarded-Proto from anyone else is ignored"
    );
}

#[tokio::test]
async fn requests_from_another_site_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let answers = || async {
        sqlx::query_scalar::<_, i64>("SELECT coalesce(sum(yes + no), 0) FROM page_helpful")
            .fetch_one(&state.pool)
            .await
            .unwrap()
    };
    let body = "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&svar=ja";
    let refused = [
        vec![
            ("origin", "https://evil.example"),
            ("host", "localhost:3000"),
        ],
        vec![("origin", "null"), ("host", "localhost:3000")],
        vec![("sec-fetch-site", "cross-site")],
    ];
    for headers in refused {
        let mut request = form("/nyttig");
        for (k, v) in &headers {
            request = request.header(*k, *v);
        }
        let (response, text) = send(&state, request.body(Body::from(body)).unwrap()).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(text.contains("annet nettsted"), "{text}");
    }
    // A server function too (the editors' ones check the session as well).
    let (response, _) = send(
        &state,
        form("/api/sign_in")
            .header("origin", "https://evil.example")
            .header("host", "localhost:3000")
            .body(Body::from("username=a&password=b"))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(answers().await, 0, "nothing was counted");

    // The same form from the site itself is taken.
    let (response, _) = send(
        &state,
        form("/nyttig")
            .header("origin", "http://localhost:3000")
            .header("host", "localhost:3000")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(answers().await, 1);
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let big = format!(
        "path=%2F&comment={}",
        "a".repeat(server::http::security::BODY_LIMIT + 1)
    );
    let (response, text) = send(
        &state,
        form("/nyttig/kommentar")
            .body(Body::from(big.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        text.contains("for stort") && text.contains("ingenting ble lagret"),
        "{text}"
    );
    // Announced up front, it is refused before the body is read.
    let request = form("/nyttig/kommentar")
        .header("content-length", big.len().to_string())
        .body(Body::from(big.clone()))
        .unwrap();
    let (response, text) = send(&state, request).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text.contains("for stort"), "{text}");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM page_helpful_comment")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

/// "Hva manglet?" says which rule refused a comment: too long (422, the
/// limit named) is not the same as too many answers from one client (429).
#[tokio::test]
async fn a_refused_page_comment_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let page = "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring";
    let stored = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM page_helpful_comment")
            .fetch_one(&state.pool)
            .await
            .unwrap()
    };

    let long = format!("{page}&comment={}", "a".repeat(5_000));
    let (status, _, text) = call(&state, "POST", "/nyttig/kommentar", None, &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("høyst"), "names the limit: {text}");
    assert_eq!(stored().await, 0);

    // The client's budget (20 answers in the tests' state) spent on "Ja":
    // the next comment is refused as too many, not as too long.
    for _ in 0..20 {
        let (status, _, _) =
            call(&state, "POST", "/nyttig", None, &format!("{page}&svar=ja")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let short = format!("{page}&comment=Mangler+eksempler");
    let (status, _, text) = call(&state, "POST", "/nyttig/kommentar", None, &short).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
    assert!(text.contains("mange svar"), "{text}");
    assert_eq!(stored().await, 0);
}
