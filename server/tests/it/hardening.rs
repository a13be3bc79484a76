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
        "a".repeat(server::security::BODY_LIMIT + 1)
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

#[tokio::test]
async fn public_pages_revalidate_with_an_etag_and_private_ones_are_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (first, _) = send(
        &state,
        Request::get("/ressurser").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(header(&first, "cache-control"), Some("public, no-cache"));
    let etag = header(&first, "etag").expect("an ETag").to_string();
    assert!(etag.starts_with("W/\""));

    // Same page, new nonce: still the same validator, so a 304 without a new policy.
    let (again, body) = send(
        &state,
        Request::get("/ressurser")
            .header("if-none-match", &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(
        header(&again, "content-security-policy"),
        None,
        "the cached page keeps the policy its nonce belongs to"
    );

    // A change to the content gives a new validator.
    sqlx::query("UPDATE resource SET title = title || ' (endret)' WHERE slug = 'erfaringsbasert-kvalitetssikring'")
        .execute(&state.pool)
        .await
        .unwrap();
    state.catalogue.invalidate();
    let (changed, _) = send(
        &state,
        Request::get("/ressurser")
            .header("if-none-match", &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(header(&changed, "etag"), Some(etag.as_str()));

    // Pages compress for browsers that accept it.
    let (compressed, _) = send(
        &state,
        Request::get("/ressurser")
            .header("accept-encoding", "br")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(header(&compressed, "content-encoding"), Some("br"));

    // Editors' pages, sign-in and a signed-in visitor's pages are never stored.
    let editor = session_cookie(&state, "redaktor", app::auth::Role::Editor).await;
    for (uri, cookie) in [
        ("/logg-inn", None),
        ("/redaktor", Some(editor.as_str())),
        ("/ressurser", Some(editor.as_str())),
    ] {
        let mut request = Request::get(uri);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let (response, _) = send(&state, request.body(Body::empty()).unwrap()).await;
        assert_eq!(
            header(&response, "cache-control"),
            Some("private, no-store"),
            "{uri}"
        );
        assert_eq!(header(&response, "etag"), None, "{uri}");
    }
}

#[tokio::test]
async fn reads_go_on_while_a_long_write_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let mut writer = sqlx::SqliteConnection::connect_with(
        &SqliteConnectOptions::new().filename(dir.path().join("site.db")),
    )
    .await
    .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut writer)
        .await
        .unwrap();
    sqlx::query("UPDATE resource SET summary = summary || ' ' WHERE id IN (SELECT id FROM resource LIMIT 20)").execute(&mut writer).await.unwrap();
    // The write lock is held (an import or a long save); visitors still read.
    for uri in [
        "/",
        "/ressurser?q=mestring",
        "/ressurser/erfaringsbasert-kvalitetssikring",
        "/veiviser",
        "/health",
    ] {
        let read = tokio::time::timeout(Duration::from_secs(20), get(&state, uri)).await;
        let (status, _) = read.unwrap_or_else(|_| panic!("{uri} waited for the writer"));
        assert_eq!(status, StatusCode::OK, "{uri}");
    }
    sqlx::query("COMMIT").execute(&mut writer).await.unwrap();
}

/// A site whose pool has one connection, so a pragma set on it applies to
/// every request: the way to make SQLite refuse writes inside a test.
async fn single_connection_state(dir: &tempfile::TempDir) -> AppState {
    let seeded = seeded_state(dir).await;
    seeded.pool.close().await;
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("site.db"))
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    AppState::new(
        pool,
        seeded.leptos_options.clone(),
        seeded.public_url.clone(),
    )
}

#[tokio::test]
async fn a_read_only_or_full_database_gives_a_clear_message_and_the_site_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let state = single_connection_state(&dir).await;
    let body = "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&comment=Mer+om+honorar";

    // Read-only (SQLITE_READONLY): pages still render, a save is refused in words.
    sqlx::query("PRAGMA query_only = ON")
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        get(&state, "/ressurser/erfaringsbasert-kvalitetssikring")
            .await
            .0,
        StatusCode::OK
    );
    let (status, _, text) = call(&state, "POST", "/nyttig/kommentar", None, body).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        text.contains("feil i lagringen") && text.contains("Ingenting ble lagret"),
        "{text}"
    );
    assert!(
        !text.contains("readonly") && !text.contains("SQLITE"),
        "no database error reaches the browser: {text}"
    );
    // A finished feedback flow is refused the same way (not as a rate
    // limit), and the form comes back with what was written.
    let feedback =
        "steg=4&kind=annet&message=Skrevet+mens+disken+var+skrivebeskyttet&handling=send";
    let (status, _, html) = call(&state, "POST", "/tilbakemelding", None, feedback).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{html}");
    assert!(
        html.contains("feil i lagringen")
            && html.contains("Skrevet mens disken var skrivebeskyttet"),
        "message and kept text"
    );
    assert!(
        !html.contains("readonly"),
        "no database error reaches the browser"
    );

    // Fixed: the same request is saved, without a restart.
    sqlx::query("PRAGMA query_only = OFF")
        .execute(&state.pool)
        .await
        .unwrap();
    let (status, _, _) = call(&state, "POST", "/nyttig/kommentar", None, body).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, location, _) = call(&state, "POST", "/tilbakemelding", None, feedback).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location
        .unwrap_or_default()
        .starts_with("/tilbakemelding/kvittering/"));

    // Full (SQLITE_FULL): an editor's page save is refused, the text kept.
    let editor = session_cookie(&state, "redaktor", app::auth::Role::Editor).await;
    // No free pages left to reuse: the long body needs overflow pages, so
    // capping the file at its size makes the save fail every time.
    sqlx::query("VACUUM").execute(&state.pool).await.unwrap();
    let free: i64 = sqlx::query_scalar("PRAGMA freelist_count")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(free, 0);
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
        .execute(&state.pool)
        .await
        .unwrap();
    let long = "Lang+tekst+om+brukermedvirkning.+".repeat(400);
    let save = format!("version=1&title=Om+oss&description=Hvem+vi+er.&body={long}");
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/sider/om-nettstedet",
        Some(&editor),
        &save,
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{html}");
    assert!(
        html.contains("feil i lagringen") && html.contains("Lang tekst om brukermedvirkning."),
        "message and kept text"
    );
    assert!(
        !html.contains("disk is full"),
        "no database error reaches the browser"
    );
    sqlx::query("PRAGMA max_page_count = 1073741823")
        .execute(&state.pool)
        .await
        .unwrap();
    let (status, location, _) = call(
        &state,
        "POST",
        "/redaktor/sider/om-nettstedet",
        Some(&editor),
        &save,
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/sider/om-nettstedet?melding=lagret")
        )
    );
}

fn config(dir: &tempfile::TempDir) -> Config {
    Config {
        database: dir.path().join("site.db"),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: dir.path().into(),
        content_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
        public_url: None,
        feedback_retention_days: 365,
        feedback_limit: 20,
        stats: true,
        trusted_proxies: app::client::TrustedProxies::none(),
        page_cache: app::page_cache::Limits::default(),
        background: server::Background::off(),
    }
}

/// One HTTP/1.1 request over a fresh connection; the whole answer as text.
async fn raw_request(addr: std::net::SocketAddr, request: String) -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn graceful_shutdown_finishes_a_request_under_way() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve_on(config(&dir), listener, async {
        let _ = stopped.await;
    }));
    let get =
        |path: &str| format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    let mut up = false;
    for _ in 0..200 {
        if raw_request(addr, get("/health"))
            .await
            .is_ok_and(|a| a.starts_with("HTTP/1.1 200"))
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up, "the server started");

    // Hold the write lock so the next save waits inside its handler.
    let mut writer = sqlx::SqliteConnection::connect_with(
        &SqliteConnectOptions::new().filename(dir.path().join("site.db")),
    )
    .await
    .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut writer)
        .await
        .unwrap();
    let body = "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&svar=ja";
    let post = format!(
        "POST /nyttig HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let in_flight = tokio::spawn(raw_request(addr, post));
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Stop the site while that request waits, then let the write through.
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    sqlx::query("COMMIT").execute(&mut writer).await.unwrap();
    drop(writer);

    let answer = tokio::time::timeout(Duration::from_secs(20), in_flight)
        .await
        .expect("the request finished")
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let result = tokio::time::timeout(Duration::from_secs(20), server)
        .await
        .expect("the server stopped")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
    assert!(
        raw_request(addr, get("/health")).await.is_err(),
        "no new connections after shutdown"
    );

    let pool = app::db::connect(&dir.path().join("site.db")).await.unwrap();
    let yes: i64 = sqlx::query_scalar("SELECT coalesce(sum(yes), 0) FROM page_helpful")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(yes, 1, "the answer given during shutdown was saved");
}

#[tokio::test]
async fn a_backup_taken_while_the_site_writes_restores_everything() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    session_cookie(&state, "redaktor", app::auth::Role::Editor).await;
    call(
        &state,
        "POST",
        "/nyttig/kommentar",
        None,
        "path=%2Fressurser%2Ferfaringsbasert-kvalitetssikring&comment=Mer+om+honorar",
    )
    .await;
    let database = dir.path().join("site.db");

    // Visitors keep answering while the backup runs.
    let writing = {
        let state = state.clone();
        tokio::spawn(async move {
            for _ in 0..200 {
                app::db::feedback::count_helpful(
                    &state.pool,
                    "/ressurser/erfaringsbasert-kvalitetssikring",
                    true,
                )
                .await
                .unwrap();
            }
        })
    };
    let backup = dir.path().join("kopier/backup.db");
    let report = server::backup::backup(&database, &backup).await.unwrap();
    writing.await.unwrap();
    assert!(report.resources > 30 && report.bytes > 0, "{report:?}");
    assert!(
        matches!(
            server::backup::backup(&database, &backup).await,
            Err(server::backup::BackupError::Exists(_))
        ),
        "never overwrites"
    );

    // Restore into a new place and find everything.
    let restored = dir.path().join("gjenopprettet/site.db");
    std::fs::create_dir_all(restored.parent().unwrap()).unwrap();
    server::backup::restore(&backup, &restored).await.unwrap();
    let live = table_counts(&state).await;
    let pool = app::db::connect(&restored).await.unwrap();
    let copy = AppState::new(pool, state.leptos_options.clone(), state.public_url.clone());
    let copied = table_counts(&copy).await;
    for ((table, live_n, live_digest), (_, copy_n, copy_digest)) in live.iter().zip(&copied) {
        if table == "page_helpful" {
            continue; // written during the backup; compared below
        }
        assert_eq!((live_n, live_digest), (copy_n, copy_digest), "{table}");
    }
    let answers: i64 = sqlx::query_scalar("SELECT coalesce(sum(yes), 0) FROM page_helpful")
        .fetch_one(&copy.pool)
        .await
        .unwrap();
    assert!(
        (0..=200).contains(&answers),
        "a consistent snapshot: {answers}"
    );
    assert_eq!(
        get(&copy, "/ressurser/erfaringsbasert-kvalitetssikring")
            .await
            .0,
        StatusCode::OK
    );
    assert!(
        app::auth::sign_in(
            &copy.pool,
            &copy.sign_in,
            "redaktor",
            "et langt testpassord 123",
            &app::client::Client::unknown()
        )
        .await
        .is_ok(),
        "accounts come back"
    );

    // Restoring over an existing database keeps the one it replaced.
    server::backup::restore(&backup, &restored).await.unwrap();
    assert!(restored.with_extension("db.before-restore").is_file());

    // Something that is not a backup is refused, and nothing is replaced.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "ikke en database").unwrap();
    assert!(server::backup::restore(&junk, &restored).await.is_err());
    assert!(server::backup::check(&restored).await.is_ok());
}

/// The rendered-page cache (issue 18): a public page is rendered once and
/// sent again from memory, compressed as the browser asked, counted as a
/// view every time; a session, a write or a catalogue change bypasses or
/// clears it.
#[tokio::test]
async fn public_pages_come_from_the_page_cache_until_something_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = seeded_state(&dir).await;
    let (recorder, mut events) = app::stats::Recorder::new(&state.public_url);
    state.stats = std::sync::Arc::new(recorder);
    let browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
    let get = |uri: &str, extra: Option<(&str, &str)>| {
        let mut request = Request::get(uri)
            .header("accept", "text/html")
            .header("accept-encoding", "gzip, deflate, br, zstd")
            .header("user-agent", browser)
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [203, 0, 113, 9],
                40000,
            ))));
        if let Some((k, v)) = extra {
            request = request.header(k, v);
        }
        let request = request.body(Body::empty()).unwrap();
        let state = state.clone();
        async move {
            let response = server::router(state).oneshot(request).await.unwrap();
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, 10 << 20).await.unwrap();
            let html = match parts
                .headers
                .get("content-encoding")
                .map(|v| v.to_str().unwrap())
            {
                Some("br") => {
                    let mut out = Vec::new();
                    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
                    String::from_utf8(out).unwrap()
                }
                None => String::from_utf8(bytes.to_vec()).unwrap(),
                Some(other) => panic!("unexpected coding {other}"),
            };
            (Response::from_parts(parts, ()), html)
        }
    };
    let uri = "/ressurser/erfaringsbasert-kvalitetssikring";
    let before = state.pages.usage();
    let (first, first_html) = get(uri, None).await;
    let (second, second_html) = get(uri, None).await;
    let after = state.pages.usage();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(&second, "content-encoding"), Some("br"));
    assert_eq!(first_html, second_html, "the same page from memory");
    assert!(second_html.contains("<h1"), "{second_html}");
    assert_eq!(
        (after.misses - before.misses, after.hits - before.hits),
        (1, 1)
    );
    assert_eq!(header(&first, "etag"), header(&second, "etag"));
    assert!(
        header(&second, "vary").is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))
    );
    assert_eq!(header(&second, "cache-control"), Some("public, no-cache"));
    // A fresh nonce in the policy, none in the page.
    assert_ne!(
        header(&first, "content-security-policy"),
        header(&second, "content-security-policy")
    );
    // A repeat with the validator: 304, still counted.
    let etag = header(&second, "etag").unwrap().to_string();
    let (repeat, _) = get(uri, Some(("if-none-match", &etag))).await;
    assert_eq!(repeat.status(), StatusCode::NOT_MODIFIED);
    let mut views = 0;
    while let Ok(event) = events.try_recv() {
        if matches!(event, app::stats::Event::View { ref path, .. } if path == uri) {
            views += 1;
        }
    }
    assert_eq!(views, 3, "every view counted once, cached or not");

    // A request with a session never uses (or fills) the cache.
    let hits = state.pages.usage().hits;
    let (signed_in, _) = get(
        uri,
        Some(("cookie", &format!("bli_okt={}", "ab".repeat(32)))),
    )
    .await;
    assert_eq!(state.pages.usage().hits, hits, "{:?}", signed_in.headers());

    // A change announced by a save shows at once.
    sqlx::query("UPDATE resource SET title = 'Ny tittel på siden' WHERE slug = 'erfaringsbasert-kvalitetssikring'")
        .execute(&state.pool)
        .await
        .unwrap();
    state.catalogue.invalidate();
    let (_, changed) = get(uri, None).await;
    assert!(changed.contains("Ny tittel på siden"));

    // An editor's save through the site (any successful POST but the
    // visitors' own answers) starts a new generation.
    let generation = state.pages.usage().generation;
    let hits = state.pages.usage().hits;
    let _ = get(uri, None).await;
    assert_eq!(state.pages.usage().hits, hits + 1);
    let response = server::router(state.clone())
        .oneshot(
            form("/nyttig")
                .body(Body::from("path=%2F&svar=ja"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(response.status().is_success() || response.status().is_redirection());
    assert_eq!(
        state.pages.usage().generation,
        generation,
        "a visitor's answer changes no page"
    );
    state.pages.invalidate();
    let _ = get(uri, None).await;
    assert_eq!(
        state.pages.usage().hits,
        hits + 1,
        "a miss after the new generation"
    );
}
