//! L4 to L8 and slow clients: the audit trail, stored feedback, the session cookie, retention and file modes.

use super::*;

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
    server::cli::backup::backup(&database, &copy).await.unwrap();
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
    let purged = server::jobs::purge::once(&state).await;
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
        version: None,
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

    let purged = server::jobs::purge::once(&state).await;

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
    let server = tokio::spawn(server::http::listener::run(
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
