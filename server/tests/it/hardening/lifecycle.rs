//! The server's life: graceful shutdown, backups while the site writes.

use super::*;

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
        max_connections: server::http::listener::MAX_CONNECTIONS,
        max_connections_per_client: server::http::listener::MAX_CONNECTIONS_PER_CLIENT,
        media_quota_mb: app::state::DEFAULT_MEDIA_QUOTA_MB,
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
    session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
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
    let report = server::cli::backup::backup(&database, &backup)
        .await
        .unwrap();
    writing.await.unwrap();
    assert!(report.resources > 30 && report.bytes > 0, "{report:?}");
    assert!(
        matches!(
            server::cli::backup::backup(&database, &backup).await,
            Err(server::cli::backup::BackupError::Exists(_))
        ),
        "never overwrites"
    );

    // Restore into a new place and find everything.
    let restored = dir.path().join("gjenopprettet/site.db");
    std::fs::create_dir_all(restored.parent().unwrap()).unwrap();
    server::cli::backup::restore(&backup, &restored)
        .await
        .unwrap();
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
    server::cli::backup::restore(&backup, &restored)
        .await
        .unwrap();
    assert!(restored.with_extension("db.before-restore").is_file());

    // Something that is not a backup is refused, and nothing is replaced.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "ikke en database").unwrap();
    assert!(server::cli::backup::restore(&junk, &restored)
        .await
        .is_err());
    assert!(server::cli::backup::check(&restored).await.is_ok());
}
