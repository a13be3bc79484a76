//! M1 and M2: the statistics beacon, the statistics pages, private answers.

use super::*;

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
        version: None,
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
