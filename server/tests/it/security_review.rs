//! Regression tests for the findings of the second security review
//! (`SECURITY.md` lists each finding with its test). Each one fails on the
//! code the review read.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::{auth::Role, state::AppState};
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, Response, StatusCode},
};
use tower::ServiceExt;

use crate::common::*;

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

// ── M1: the beacon ─────────────────────────────────────────────────────────

/// The attack the review confirmed: three anonymous POSTs put
/// `<a href="/\evil.example/x">` on the public statistics page.
#[tokio::test]
async fn the_beacon_counts_only_real_public_pages() {
    let dir = tempfile::tempdir().unwrap();
    let (state, mut events) = counting_state(&dir).await;
    add_draft(&state).await;
    let slug = published_slug(&state).await;
    let beacon = |path: &str| from("203.0.113.9:4000", "POST", "/besok", &[], path);

    for path in [
        "/\\evil.example/x",
        "/\t/phish.example",
        "/ressurser/a\nb",
        "/ressurser/a b",
        "/x\u{0}",
    ] {
        for _ in 0..3 {
            let (response, _) = send(&state, beacon(path)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path:?}");
        }
    }
    for path in [
        "/ressurser/finnes-ikke",
        "/ressurser/hemmelig-utkast",
        "/innspill/finnes-ikke",
        "/redaktor",
        "/finnes-ikke",
    ] {
        let (response, _) = send(&state, beacon(path)).await;
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "{path}: not an error, just not counted"
        );
    }
    let real = [
        format!("/ressurser/{slug}"),
        "/veiviser".into(),
        "/personvern".into(),
        "/inngang/tjenestene".into(),
        "/ressurser".into(),
    ];
    for path in &real {
        let (response, _) = send(&state, beacon(&format!("{path}?q=x#top"))).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(
        viewed(&mut events),
        real,
        "only the real pages are counted, without query or fragment"
    );

    let (_, html) = send(
        &state,
        from("198.51.100.1:1", "GET", "/statistikk", &[], ""),
    )
    .await;
    assert!(
        !html.contains("evil.example") && !html.contains("phish.example"),
        "no forged path reaches the public page"
    );
}

#[tokio::test]
async fn the_beacon_has_a_budget_per_client_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _events) = counting_state(&dir).await;
    for _ in 0..app::state::BEACONS_PER_WINDOW {
        let (response, _) = send(
            &state,
            from("203.0.113.9:4000", "POST", "/besok", &[], "/veiviser"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    let (response, _) = send(
        &state,
        from("203.0.113.9:4001", "POST", "/besok", &[], "/veiviser"),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the same client, over its budget"
    );
    let (response, _) = send(
        &state,
        from("203.0.113.10:4000", "POST", "/besok", &[], "/veiviser"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "another client");
    let (response, _) = send(
        &state,
        from(
            "203.0.113.9:4000",
            "POST",
            "/nyttig",
            &[],
            "path=%2Fveiviser&svar=ja",
        ),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "counting does not use up the feedback budget"
    );
}

/// M1 (links) and L1: a row an older version wrote, or a page unpublished
/// since, must not become a link or show a title.
#[tokio::test]
async fn statistics_link_only_to_public_pages_and_show_only_published_titles() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    add_draft(&state).await;
    let slug = published_slug(&state).await;
    add_page_row(&state, "/\\evil.example/x", 900).await;
    add_page_row(&state, "/ressurser/hemmelig-utkast", 800).await;
    add_page_row(&state, &format!("/ressurser/{slug}"), 10).await;

    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let (_, html) = get_with(&state, "/redaktor/statistikk", &editor).await;
    assert!(
        html.contains(&format!("href=\"/ressurser/{slug}\"")),
        "a public page is linked"
    );
    assert!(
        !html.contains("href=\"/\\evil.example"),
        "an unknown path is text, not a link"
    );
    assert!(!html.contains("href=\"/ressurser/hemmelig-utkast\""));
    assert!(
        !html.contains("Hemmelig utkasttittel"),
        "a draft's title is never shown"
    );

    let (_, html) = get(&state, "/statistikk").await;
    assert!(html.contains(&format!("href=\"/ressurser/{slug}\"")));
    assert!(
        !html.contains("evil.example")
            && !html.contains("hemmelig-utkast")
            && !html.contains("Hemmelig"),
        "{html}"
    );
}

/// L1 and I1: the public page's data held search terms, filters and
/// referrers it does not show.
#[tokio::test]
async fn the_public_statistics_send_only_what_the_page_shows() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let today = app::stats::today();
    for sql in [
        "INSERT INTO stat_referrer (day, domain, visits) VALUES (?1, 'hemmelig-kilde.example', 3)",
        "INSERT INTO stat_empty_search (day, query, searches) VALUES (?1, 'diagnose kari nordmann', 2)",
        "INSERT INTO stat_filter (day, facet, value, uses) VALUES (?1, 'nivaa', 'hemmeligverdi', 4)",
        "INSERT INTO stat_page (day, path, views, visitors) VALUES (?1, '*', 7, 2)",
    ] {
        sqlx::query(sql).bind(&today).execute(&state.pool).await.unwrap();
    }
    let (status, html) = get(&state, "/statistikk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<dt>Sidevisninger</dt><dd>7</dd>"));
    for secret in ["hemmelig-kilde", "diagnose", "hemmeligverdi"] {
        assert!(
            !html.contains(secret),
            "{secret} is in the public page or its data"
        );
    }
}

#[tokio::test]
async fn the_public_statistics_are_computed_once_a_minute_not_per_view() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    add_page_row(&state, "*", 7).await;
    let (_, html) = get(&state, "/statistikk").await;
    assert!(html.contains("<dt>Sidevisninger</dt><dd>7</dd>"));
    sqlx::query("UPDATE stat_page SET views = 70 WHERE path = '*'")
        .execute(&state.pool)
        .await
        .unwrap();
    let (_, html) = get(&state, "/statistikk").await;
    assert!(
        html.contains("<dt>Sidevisninger</dt><dd>7</dd>"),
        "the same figures within the minute"
    );
}

// ── M2: private answers are never stored ──────────────────────────────────

#[tokio::test]
async fn private_answers_are_never_stored_whatever_their_type() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let user = app::auth::session_user(&state.pool, editor.split('=').nth(1).unwrap())
        .await
        .unwrap()
        .unwrap();
    let round = app::domain::consultation::RoundInput {
        slug: "runde".into(),
        title: "Runde".into(),
        intro: "Intro".into(),
        closes_on: "2199-12-31".into(),
        status: "published".into(),
        questions: vec!["Hva?".into()],
    };
    app::db::consultation::save_round(&state.pool, &user, None, &round)
        .await
        .unwrap();

    for uri in [
        "/redaktor/tilbakemeldinger.csv",
        "/redaktor/innspill/runde/svar.csv",
        "/ressurser",
        "/ressurser.csv",
        "/",
    ] {
        let (response, _) = send(
            &state,
            from("192.0.2.1:1", "GET", uri, &[("cookie", &editor)], ""),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header(&response, "cache-control"),
            "private, no-store",
            "{uri} with a session"
        );
        assert!(header(&response, "vary").contains("Cookie"), "{uri}");
    }
    for (method, uri) in [
        ("GET", "/redaktor/tilbakemeldinger.csv"),
        ("POST", "/api/finnes_ikke"),
        ("POST", "/auth/logg-ut"),
        ("GET", "/logg-inn"),
    ] {
        let (response, _) = send(&state, from("192.0.2.1:1", method, uri, &[], "")).await;
        assert_eq!(
            header(&response, "cache-control"),
            "private, no-store",
            "{method} {uri} without a session"
        );
    }
    let (response, _) = send(&state, from("192.0.2.1:1", "GET", "/ressurser", &[], "")).await;
    assert_eq!(
        header(&response, "cache-control"),
        "public, no-cache",
        "a visitor's public page may be kept, and is revalidated"
    );
}

// ── M4 and L5: who the client is ───────────────────────────────────────────

fn behind_proxy(mut state: AppState) -> AppState {
    state.trusted_proxies = Arc::new(app::client::TrustedProxies::parse("127.0.0.1, ::1").unwrap());
    state
}

async fn page_answer(state: &AppState, peer: &str, forwarded_for: Option<&str>) -> StatusCode {
    let headers: Vec<(&str, &str)> = forwarded_for
        .map(|f| ("x-forwarded-for", f))
        .into_iter()
        .collect();
    send(
        state,
        from(
            peer,
            "POST",
            "/nyttig",
            &headers,
            "path=%2Fveiviser&svar=ja",
        ),
    )
    .await
    .0
    .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_budget() {
    let dir = tempfile::tempdir().unwrap();
    let state = behind_proxy(seeded_state(&dir).await);
    for _ in 0..app::state::DEFAULT_SUBMISSIONS_PER_WINDOW {
        assert_eq!(
            page_answer(&state, "127.0.0.1:5000", Some("198.51.100.1")).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        page_answer(&state, "127.0.0.1:5001", Some("198.51.100.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        page_answer(&state, "127.0.0.1:5002", Some("198.51.100.2")).await,
        StatusCode::SEE_OTHER,
        "another visitor behind the same proxy"
    );
    assert_eq!(
        page_answer(&state, "127.0.0.1:5003", Some("198.51.100.1, 198.51.100.3")).await,
        StatusCode::SEE_OTHER,
        "the right-most untrusted entry is the client; the left one is what the client wrote"
    );
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let state = behind_proxy(seeded_state(&dir).await);
    for i in 0..app::state::DEFAULT_SUBMISSIONS_PER_WINDOW {
        let spoof = format!("10.9.9.{i}");
        assert_eq!(
            page_answer(&state, "192.0.2.50:6000", Some(&spoof)).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        page_answer(&state, "192.0.2.50:6000", Some("10.9.9.200")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_ipv6_network_has_one_budget() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    for i in 0..app::state::DEFAULT_SUBMISSIONS_PER_WINDOW {
        assert_eq!(
            page_answer(&state, &format!("[2001:db8:5:5::{:x}]:7000", i + 1), None).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        page_answer(&state, "[2001:db8:5:5:ffff::1]:7000", None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        page_answer(&state, "[2001:db8:5:6::1]:7000", None).await,
        StatusCode::SEE_OTHER,
        "another /64"
    );
}

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

#[tokio::test]
async fn the_sign_in_throttle_sees_the_client_behind_the_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let state = behind_proxy(seeded_state(&dir).await);
    app::auth::upsert_account(
        &state.pool,
        "redaktor",
        "Redaktør",
        "et langt testpassord 123",
        Role::Editor,
    )
    .await
    .unwrap();
    for _ in 0..app::auth::MAX_FAILURES_PER_ACCOUNT {
        let response = sign_in(&state, "127.0.0.1:5000", "198.51.100.66", "feil passord").await;
        assert!(header(&response, "location").contains("feil=feil"));
    }
    let response = sign_in(
        &state,
        "127.0.0.1:5000",
        "198.51.100.66",
        "et langt testpassord 123",
    )
    .await;
    assert!(
        header(&response, "location").contains("feil=sperret"),
        "the guesser is locked out"
    );
    let response = sign_in(
        &state,
        "127.0.0.1:5000",
        "198.51.100.77",
        "et langt testpassord 123",
    )
    .await;
    assert_eq!(
        header(&response, "location"),
        "/redaktor",
        "the editor, behind the same proxy, is not"
    );
    assert!(header(&response, "set-cookie").starts_with("bli_okt="));
}

// ── L4: the audit trail ────────────────────────────────────────────────────

#[tokio::test]
async fn editors_see_the_content_history_and_administrators_everything() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "sjefen", Role::Admin).await;
    let (status, _, _) = call(
        &state,
        "POST",
        "/redaktor/kontoer/ny",
        Some(&admin),
        "username=nyredaktor&display_name=Ny&role=editor&password=et+langt+passord+for+ny",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let (_, html) = get_with(&state, "/redaktor", &editor).await;
    assert!(
        !html.contains("nyredaktor"),
        "an editor does not see account changes"
    );
    assert!(!html.contains("logget inn"), "nor sign-ins");
    let (_, html) = get_with(&state, "/redaktor", &admin).await;
    assert!(html.contains("nyredaktor"), "an administrator does");
}

// ── L6: feedback stores what its kind asks for ─────────────────────────────

#[tokio::test]
async fn feedback_keeps_only_the_fields_of_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let draft = app::domain::feedback::FeedbackDraft {
        step: 4,
        kind: "feil".into(),
        message: "Lenken virker ikke.".into(),
        title: "x".repeat(100_000),
        url: "javascript:alert(1)".into(),
        levels: vec!["individ".into(); 10_000],
        audiences: vec!["ukjent".into(); 10_000],
        topic: "design".into(),
        page: "https://evil.example/".into(),
        ..Default::default()
    };
    let reference =
        app::api::feedback::accept_feedback(&state, &app::client::Client::unknown(), &draft)
            .await
            .unwrap();
    let stored: (String, String, String, String, String, String) = sqlx::query_as(
        "SELECT title, url, levels, audiences, topic, page FROM feedback WHERE reference = ?1",
    )
    .bind(&reference)
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        Default::default(),
        "nothing but the message and the kind"
    );
}

// ── L7: the session cookie ─────────────────────────────────────────────────

#[tokio::test]
async fn the_session_cookie_is_host_prefixed_and_secure_unless_on_plain_http_loopback() {
    assert!(!app::state::secure_cookies("http://127.0.0.1:3000"));
    assert!(!app::state::secure_cookies("http://localhost:3000"));
    assert!(!app::state::secure_cookies("http://[::1]:3000"));
    assert!(app::state::secure_cookies("https://bli-involvert.no"));
    assert!(
        app::state::secure_cookies("http://bli-involvert.no"),
        "plain http off loopback still gets Secure"
    );
    assert!(app::state::secure_cookies("http://0.0.0.0:3000"));

    let dir = tempfile::tempdir().unwrap();
    let mut state = seeded_state(&dir).await;
    state.public_url = "https://bli-involvert.no".into();
    state.secure_cookies = app::state::secure_cookies(&state.public_url);
    app::auth::upsert_account(
        &state.pool,
        "redaktor",
        "Redaktør",
        "et langt testpassord 123",
        Role::Editor,
    )
    .await
    .unwrap();
    let response = sign_in(&state, "192.0.2.1:1", "", "et langt testpassord 123").await;
    let cookie = header(&response, "set-cookie").to_string();
    assert!(
        cookie.starts_with("__Host-bli_okt=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
    );

    // A cookie tossed from a sibling subdomain, under the old name, signs nobody in.
    let token = cookie.split(';').next().unwrap().split('=').nth(1).unwrap();
    let (_, html) = send(
        &state,
        from(
            "192.0.2.1:1",
            "GET",
            "/redaktor",
            &[("cookie", &format!("bli_okt={token}"))],
            "",
        ),
    )
    .await;
    assert!(
        !html.contains("Logg ut"),
        "the unprefixed name is not a session over HTTPS"
    );
    let (_, html) = send(
        &state,
        from(
            "192.0.2.1:1",
            "GET",
            "/redaktor",
            &[("cookie", &format!("__Host-bli_okt={token}"))],
            "",
        ),
    )
    .await;
    assert!(html.contains("Logg ut"));
}

// ── L8: retention and file modes ───────────────────────────────────────────

#[cfg(unix)]
#[tokio::test]
async fn database_and_backup_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("site.db");
    let pool = server::open_database(&database).await.unwrap();
    pool.close().await;
    assert_eq!(mode(&database), 0o600);
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
    let pool = server::open_database(&database).await.unwrap();
    assert_eq!(mode(&database), 0o600, "an existing database is tightened");
    pool.close().await;
    let copy = dir.path().join("backups/kopi.db");
    server::backup::backup(&database, &copy).await.unwrap();
    assert_eq!(mode(&copy), 0o600);
}

#[tokio::test]
async fn old_searches_with_no_results_are_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    for (day, query) in [("-91 days", "gammelt navn"), ("-89 days", "nyere søk")] {
        sqlx::query(
            "INSERT INTO stat_empty_search (day, query, searches) VALUES (date('now', ?1), ?2, 1)",
        )
        .bind(day)
        .bind(query)
        .execute(&state.pool)
        .await
        .unwrap();
    }
    let purged = server::purge::once(&state).await;
    assert_eq!((purged.empty_searches, purged.failed), (1, 0));
    let left: Vec<String> = sqlx::query_scalar("SELECT query FROM stat_empty_search")
        .fetch_all(&state.pool)
        .await
        .unwrap();
    assert_eq!(left, ["nyere søk"]);
}

/// The hourly purge skipped the consultation answers whenever deleting old
/// visitor ids failed.
#[tokio::test]
async fn one_failed_purge_does_not_skip_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let user = app::auth::session_user(&state.pool, editor.split('=').nth(1).unwrap())
        .await
        .unwrap()
        .unwrap();
    let round = app::domain::consultation::RoundInput {
        slug: "runde".into(),
        title: "Runde".into(),
        intro: "Intro".into(),
        closes_on: "2199-12-31".into(),
        status: "published".into(),
        questions: vec!["Hva?".into()],
    };
    app::db::consultation::save_round(&state.pool, &user, None, &round)
        .await
        .unwrap();
    let question: i64 = sqlx::query_scalar("SELECT id FROM consultation_question")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    app::db::consultation::answer(&state.pool, "runde", &[(question, "Et svar".into())], 365)
        .await
        .unwrap();
    sqlx::query("UPDATE consultation_response SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')").execute(&state.pool).await.unwrap();
    sqlx::query("DROP TABLE stat_seen")
        .execute(&state.pool)
        .await
        .unwrap();
    state.feedback_retention_days = 30;

    let purged = server::purge::once(&state).await;

    assert_eq!(purged.failed, 1, "the visitor ids could not be purged");
    assert_eq!(
        purged.consultation, 1,
        "the answers past the (lowered) retention went anyway"
    );
}

// ── Slow clients ───────────────────────────────────────────────────────────

#[tokio::test]
async fn a_client_that_sends_its_headers_slowly_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::listener::run(
        listener,
        server::router(state),
        async {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
    ));

    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nx-a: 1\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the server closed the connection of a client that never finished its headers"
    );

    let mut quick = tokio::net::TcpStream::connect(addr).await.unwrap();
    quick
        .write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    quick.read_to_end(&mut answer).await.unwrap();
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "a normal request is answered"
    );
    stop.send(()).unwrap();
    server.await.unwrap();
}
