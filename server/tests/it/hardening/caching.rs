//! Caching: ETags, private pages never stored, the rendered-page cache.

use super::*;

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
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
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
                Some("zstd") => String::from_utf8(zstd::decode_all(&bytes[..]).unwrap()).unwrap(),
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
    // A first view is compressed fast (zstd for a browser that takes it);
    // the page's best brotli copy is made in the background after a repeat.
    assert_eq!(header(&first, "content-encoding"), Some("zstd"));
    assert_eq!(header(&second, "content-encoding"), Some("zstd"));
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

    // A visitor's POST starts no new generation; a save does (its handler
    // calls `invalidate`).
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

/// A resource's form as a browser sends it, from what is stored.
fn resource_form(input: &app::domain::resource::ResourceInput) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let mut pairs: Vec<(String, String)> = vec![
        ("title".into(), input.title.clone()),
        ("slug".into(), input.slug.clone()),
        ("summary".into(), input.summary.clone()),
        ("body".into(), input.body.clone()),
        ("status".into(), input.status.clone()),
        ("last_reviewed".into(), input.last_reviewed.clone()),
        (
            "reviewed_source_label".into(),
            input.reviewed_source_label.clone(),
        ),
        (
            "reviewed_source_url".into(),
            input.reviewed_source_url.clone(),
        ),
        ("version".into(), input.version.unwrap_or(1).to_string()),
        ("related".into(), input.related.join("\n")),
    ];
    for (facet, values) in &input.facets {
        for value in values {
            pairs.push((format!("f.{facet}"), value.clone()));
        }
    }
    for org in &input.organisations {
        pairs.push(("org".into(), org.clone()));
    }
    for (i, (label, url)) in input.links.iter().enumerate() {
        pairs.push((format!("link_label_{i}"), label.clone()));
        pairs.push((format!("link_url_{i}"), url.clone()));
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Issue 30: a resource save reaches the catalogue index in place and
/// clears only the cached pages it can change. The saved page and the
/// lists show the change on the next view (rendered again,
/// in the background or for that view); a resource page that does not
/// link the saved one stays in the cache.
#[tokio::test]
async fn a_save_leaves_an_unrelated_resource_page_cached() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "sjef", app::domain::account::Role::Admin).await;
    let saved = "brukerutvalg-slik-organiserer-dere-det";
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM resource WHERE status = 'published' AND slug != ?1 ORDER BY id",
    )
    .bind(saved)
    .fetch_all(&state.pool)
    .await
    .unwrap();
    assert_eq!(
        get(&state, &format!("/ressurser/{saved}")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        get(&state, "/ressurser?q=brukerutvalg").await.0,
        StatusCode::OK
    );
    let mut unrelated = None;
    for slug in &others {
        let (status, html) = get(&state, &format!("/ressurser/{slug}")).await;
        if status == StatusCode::OK && !html.contains(&format!("href=\"/ressurser/{saved}\"")) {
            unrelated = Some(slug.clone());
            break;
        }
    }
    let unrelated = format!(
        "/ressurser/{}",
        unrelated.expect("a page that does not link it")
    );

    let id: i64 = sqlx::query_scalar("SELECT id FROM resource WHERE slug = ?1")
        .bind(saved)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let mut conn = state.pool.acquire().await.unwrap();
    let mut input = app::db::editing::load_input(&mut conn, id)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    input.title = "Brukerutvalg etter lagringen".into();
    let (status, location, body) = call(
        &state,
        "POST",
        &format!("/redaktor/ressurser/{saved}"),
        Some(&admin),
        &resource_form(&input),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?} {body}");

    let hits = state.pages.usage().hits;
    let (status, _) = get(&state, &unrelated).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        state.pages.usage().hits,
        hits + 1,
        "{unrelated} still cached"
    );
    let (_, page) = get(&state, &format!("/ressurser/{saved}")).await;
    assert!(
        page.contains("Brukerutvalg etter lagringen"),
        "the saved page is new"
    );
    let (_, list) = get(&state, "/ressurser?q=brukerutvalg").await;
    assert!(list.contains("etter lagringen"), "the cached list is new");
    let (_, found) = get(&state, "/ressurser?q=lagringen").await;
    assert!(
        found.contains(&format!("href=\"/ressurser/{saved}\"")),
        "the search index has the new title"
    );
}
