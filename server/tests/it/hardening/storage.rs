//! Storage: reads during a long write, a read-only or full database.

use super::*;

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
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
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
