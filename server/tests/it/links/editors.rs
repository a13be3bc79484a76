//! The editors' side of the link checker: the links page, its forms, "Sjekk nå", the index it checks.

use super::*;

/// The seeded site with one of its published resources linking to `url`,
/// and that link's stored check; returns the link's id and the resource's slug.
async fn with_checked_link(state: &AppState, url: &str, outcome: Outcome) -> (i64, String) {
    let (resource, slug): (i64, String) = sqlx::query_as(
        "SELECT id, slug FROM resource WHERE status = 'published' ORDER BY id LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO resource_link (resource_id, position, label, url) VALUES (?1, 99, 'Testlenke', ?2)")
        .bind(resource)
        .bind(url)
        .execute(&state.pool)
        .await
        .unwrap();
    store::sync(&state.pool, None).await.unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM link WHERE url = ?1")
        .bind(url)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let mut conn = state.pool.acquire().await.unwrap();
    store::record(&mut conn, id, &outcome, "2026-11-30T08:00:00Z", 0)
        .await
        .unwrap();
    store::record(&mut conn, id, &outcome, "2026-12-01T08:00:00Z", 0)
        .await
        .unwrap();
    (id, slug)
}

#[tokio::test]
async fn the_link_page_lists_broken_links_first_with_visitors_reports() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
    let dead = "https://dod.invalid/veileder";
    let gone = Outcome {
        status: LinkStatus::ClientError,
        http_code: Some(410),
        final_url: None,
        detail: "410 Gone".into(),
    };
    let (_, slug) = with_checked_link(&state, dead, gone).await;
    let report = app::db::feedback::submit(
        &state.pool,
        &app::domain::feedback::FeedbackDraft {
            kind: "feil".into(),
            message: "Lenken dod.invalid/veileder virker ikke".into(),
            ..Default::default()
        },
        30,
    )
    .await
    .unwrap();

    // Act
    let (status, html) = get_with(&state, "/redaktor/lenker", &editor).await;
    let (_, filtered) = get_with(&state, "/redaktor/lenker?status=ok", &editor).await;
    let (visitor, _, _) = call(&state, "GET", "/redaktor/lenker", None, "").await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    let broken = html.find("Virker ikke (1)").expect(&html);
    let at = html.find(dead).unwrap();
    assert!(at > broken && at < html.find("Flyttet permanent (").unwrap());
    assert!(html.contains("410 Gone"));
    assert!(
        html.contains("Feilet første gang 30. november 2026 kl. 08.00 UTC"),
        "since when"
    );
    assert!(html.contains("Sist sjekket 1. desember 2026 kl. 08.00 UTC"));
    assert!(
        html.contains(&format!("href=\"/redaktor/ressurser/{slug}\"")),
        "where"
    );
    assert!(
        html.contains(&format!("href=\"/redaktor/tilbakemeldinger/{report}\"")),
        "the visitor's report beside it"
    );
    assert!(
        !filtered.contains(dead),
        "the filter shows working links only"
    );
    assert_eq!(visitor, StatusCode::FOUND);
    // The dashboard's summary counts it too.
    let (_, dashboard) = get_with(&state, "/redaktor", &editor).await;
    assert!(
        dashboard.contains("Lenker som ikke virker: 1"),
        "{dashboard}"
    );
}

#[tokio::test]
async fn use_new_address_saves_the_resource_as_a_new_version() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
    let old = "https://gammel.invalid/side";
    let new = "https://ny.invalid/side";
    let moved = Outcome {
        status: LinkStatus::Redirect,
        http_code: Some(301),
        final_url: Some(new.into()),
        detail: String::new(),
    };
    let (id, slug) = with_checked_link(&state, old, moved).await;
    let version: i64 = sqlx::query_scalar("SELECT version FROM resource WHERE slug = ?1")
        .bind(&slug)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let (_, page) = get_with(&state, "/redaktor/lenker", &editor).await;
    assert!(
        page.contains(&format!("action=\"/redaktor/lenker/{id}/ny-adresse\"")),
        "the form button"
    );

    // Act: the first post shows the exact new address and changes nothing.
    let (status, _, page) = call(
        &state,
        "POST",
        &format!("/redaktor/lenker/{id}/ny-adresse"),
        Some(&editor),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("nøyaktig slik den blir lagret: <code>{new}")));
    assert!(page.contains(&format!("name=\"adresse\" value=\"{new}\"")));
    let unchanged: i64 = sqlx::query_scalar("SELECT version FROM resource WHERE slug = ?1")
        .bind(&slug)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        unchanged, version,
        "nothing is saved before the editor confirms"
    );
    let (status, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/lenker/{id}/ny-adresse"),
        Some(&editor),
        &format!("bekreft=ja&adresse={}", app::query::encode(new)),
    )
    .await;

    // Assert
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/lenker?melding=ny-adresse")
        )
    );
    let urls: Vec<String> = sqlx::query_scalar("SELECT l.url FROM resource_link l JOIN resource r ON r.id = l.resource_id WHERE r.slug = ?1")
        .bind(&slug).fetch_all(&state.pool).await.unwrap();
    assert!(
        urls.contains(&new.to_string()) && !urls.contains(&old.to_string()),
        "{urls:?}"
    );
    let now: i64 = sqlx::query_scalar("SELECT version FROM resource WHERE slug = ?1")
        .bind(&slug)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(now, version + 1);
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM resource_version v JOIN resource r ON r.id = v.resource_id WHERE r.slug = ?1 AND v.version = ?2")
        .bind(&slug).bind(now).fetch_one(&state.pool).await.unwrap();
    assert_eq!(versions, 1, "a version snapshot");
    let audit: (String, String) =
        sqlx::query_as("SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(audit, ("redaktor".to_string(), "update".to_string()));
    let old_left: i64 = sqlx::query_scalar("SELECT count(*) FROM link WHERE url = ?1")
        .bind(old)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(old_left, 0, "the old address is gone from the list");
    // From another site: refused by the origin check, nothing changes.
    let (status, _, _) = call_cross_site(
        &state,
        &format!("/redaktor/lenker/{id}/ny-adresse"),
        &editor,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Review 3, N8: "Bruk ny adresse" pasted another site's `Location`
/// verbatim into Markdown, so that site could add links to published pages.
#[tokio::test]
async fn a_redirect_cannot_inject_markdown_through_use_new_address() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
    let old = "https://old.example/a";
    let (id, _) = with_checked_link(
        &state,
        old,
        Outcome {
            status: LinkStatus::Redirect,
            http_code: Some(301),
            detail: String::new(),
            final_url: Some("https://new.example/x)[Logg inn](https://phish.example/)".into()),
        },
    )
    .await;
    let resource: i64 = sqlx::query_scalar("SELECT resource_id FROM resource_link WHERE url = ?1")
        .bind(old)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    // The old address in the body: once as a link, once as plain text.
    sqlx::query("UPDATE resource SET body = ?2 WHERE id = ?1")
        .bind(resource)
        .bind(format!("Les [veilederen]({old}). Adressen var {old}."))
        .execute(&state.pool)
        .await
        .unwrap();
    let uri = format!("/redaktor/lenker/{id}/ny-adresse");
    for body in [
        String::new(),
        format!(
            "bekreft=ja&adresse={}",
            app::query::encode("https://new.example/x)[Logg inn](https://phish.example/)")
        ),
    ] {
        let (status, location, _) = call(&state, "POST", &uri, Some(&editor), &body).await;
        assert_eq!(
            (status, location.as_deref()),
            (
                StatusCode::SEE_OTHER,
                Some("/redaktor/lenker?melding=ny-adresse-avvist")
            )
        );
    }
    let body: String = sqlx::query_scalar("SELECT body FROM resource WHERE id = ?1")
        .bind(resource)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert!(
        app::db::links::markdown_links(&body)
            .iter()
            .all(|(_, u)| !u.contains("phish.example")),
        "{body}"
    );

    // A redirect to an internal address is refused the same way.
    sqlx::query("UPDATE link SET final_url = 'http://127.0.0.1:8080/admin' WHERE id = ?1")
        .bind(id)
        .execute(&state.pool)
        .await
        .unwrap();
    let (_, location, _) = call(&state, "POST", &uri, Some(&editor), "").await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/lenker?melding=ny-adresse-avvist")
    );

    // A clean one replaces the link's destination, not the plain text, and
    // only the address the editor was shown.
    let clean = "https://new.example/x";
    sqlx::query("UPDATE link SET final_url = ?2 WHERE id = ?1")
        .bind(id)
        .bind(clean)
        .execute(&state.pool)
        .await
        .unwrap();
    let (_, location, _) = call(
        &state,
        "POST",
        &uri,
        Some(&editor),
        "bekreft=ja&adresse=https%3A%2F%2Fannen.example%2F",
    )
    .await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/lenker?melding=ny-adresse-endret")
    );
    let (_, location, _) = call(
        &state,
        "POST",
        &uri,
        Some(&editor),
        &format!("bekreft=ja&adresse={}", app::query::encode(clean)),
    )
    .await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/lenker?melding=ny-adresse")
    );
    let body: String = sqlx::query_scalar("SELECT body FROM resource WHERE id = ?1")
        .bind(resource)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        body,
        format!("Les [veilederen]({clean}). Adressen var {old}.")
    );
}

async fn call_cross_site(
    state: &AppState,
    uri: &str,
    cookie: &str,
) -> (StatusCode, Option<String>, String) {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://angriper.example")
        .header("sec-fetch-site", "cross-site")
        .header("cookie", cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = server::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    (response.status(), None, String::new())
}

#[tokio::test]
async fn check_now_starts_a_run_in_the_background() {
    // Arrange: a site with no external links at all.
    let dir = tempfile::tempdir().unwrap();
    let pool = catalogue_of(&dir, &[]).await;
    let state = AppState::new(
        pool.clone(),
        leptos::config::LeptosOptions::builder()
            .output_name("x")
            .build(),
        "http://127.0.0.1:1",
    );
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;

    // Act
    let (status, location, _) =
        call(&state, "POST", "/redaktor/lenker/sjekk", Some(&editor), "").await;

    // Assert: started, and it finishes.
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/lenker?melding=sjekk-startet")
        )
    );
    let mut finished = false;
    for _ in 0..200 {
        let done: i64 = sqlx::query_scalar("SELECT count(*) FROM link_check_run WHERE finished_at IS NOT NULL AND trigger = 'editor'")
            .fetch_one(&pool).await.unwrap();
        if done == 1 {
            finished = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(finished, "the run finished");
    // While one is under way, another is not started.
    let held = store::begin_run(&pool, "test").await.unwrap().unwrap();
    let (_, location, _) = call(&state, "POST", "/redaktor/lenker/sjekk", Some(&editor), "").await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/lenker?melding=sjekk-pagar")
    );
    store::finish_run(&pool, held, 0).await.unwrap();
}

#[tokio::test]
async fn the_index_holds_published_content_and_pages_but_not_drafts_or_the_site_itself() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let pool = catalogue_of(&dir, &["https://liste.invalid/a".to_string()]).await;
    sqlx::query(
        "INSERT INTO resource (slug, title, summary, body, status) VALUES
            ('utkast', 'Utkast', 'Kort', '[skjult](https://utkast.invalid/)', 'draft'),
            ('publisert', 'Publisert', 'Kort', 'Se [brødtekst](https://tekst.invalid/b) og [oss](https://bli-involvert.example/om-nettstedet).', 'published')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO page (slug, title, body) VALUES ('om-nettstedet', 'Om nettstedet', 'Les <https://side.invalid/c>.')")
        .execute(&pool)
        .await
        .unwrap();

    // Act
    let count = store::sync(&pool, Some("bli-involvert.example"))
        .await
        .unwrap();

    // Assert
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT l.url, coalesce(r.slug, p.slug) || ':' || u.label FROM link l
           JOIN link_use u ON u.link_id = l.id
           LEFT JOIN resource r ON r.id = u.resource_id LEFT JOIN page p ON p.id = u.page_id
          ORDER BY l.url",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(count, 3);
    assert_eq!(
        rows,
        vec![
            (
                "https://liste.invalid/a".to_string(),
                "ressurs-0:Lenke".to_string()
            ),
            (
                "https://side.invalid/c".to_string(),
                "om-nettstedet:https://side.invalid/c".to_string()
            ),
            (
                "https://tekst.invalid/b".to_string(),
                "publisert:brødtekst".to_string()
            ),
        ]
    );
    // Unpublishing drops the links with their history.
    sqlx::query("UPDATE resource SET status = 'draft'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        store::sync(&pool, Some("bli-involvert.example"))
            .await
            .unwrap(),
        1
    );
}
