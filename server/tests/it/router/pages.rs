//! Pages through the router: the sitemap's pages, content pages, the guide, page views.

use super::*;

/// Every page the sitemap names renders with a title, one h1, a description
/// and a canonical address; the editors' pages are kept out of it.
#[tokio::test]
async fn every_page_in_the_sitemap_renders_with_its_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (status, sitemap) = get(&state, "/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    let base = state.public_url.trim_end_matches('/').to_string();
    let paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| {
            s.split("</loc>")
                .next()
                .unwrap()
                .trim_start_matches(&base)
                .to_string()
        })
        .collect();
    for must in [
        "/",
        "/ressurser",
        "/veiviser",
        "/inngang/kompetansesenter",
        "/inngang/tjenestene",
        "/hvorfor-brukerinvolvering",
        "/veiledere-og-foringer",
        "/brukerorganisasjoner",
        "/om-nettstedet",
        "/personvern",
        "/tilgjengelighet",
        "/nytt",
        "/ressurser/feedbackinformerte-tjenester-fit",
    ] {
        assert!(
            paths.iter().any(|p| p == must),
            "{must} missing from the sitemap"
        );
    }
    assert!(
        !paths
            .iter()
            .any(|p| p.starts_with("/redaktor") || p.contains("beslutningsverktoy")),
        "no editors' pages or drafts"
    );
    for path in &paths {
        let (status, html) = get(&state, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(html.matches("<h1").count(), 1, "{path}: one h1");
        assert!(
            html.contains("<title>") && html.contains(r#"<meta name="description" content=""#),
            "{path}: title and description"
        );
        let canonical = html
            .split("<link")
            .find(|l| l.contains("canonical"))
            .map(|l| l.split('>').next().unwrap().to_string());
        assert_eq!(
            canonical.as_deref(),
            Some(&*format!(r#" href="{base}{path}" rel="canonical""#)),
            "{path}: canonical"
        );
        assert!(
            html.contains(r#"<meta property="og:title""#),
            "{path}: Open Graph"
        );
    }
    let (_, robots) = get(&state, "/robots.txt").await;
    assert!(
        robots.contains("Disallow: /redaktor")
            && robots.contains(&format!("Sitemap: {base}/sitemap.xml"))
    );
}

#[tokio::test]
async fn an_editor_changes_a_content_page_and_a_stale_form_is_refused() {
    let app = TestApp::spawn().await;
    let editor = app.as_editor().await;
    let form = editor.get("/redaktor/sider/om-nettstedet").await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form.html().contains(r#"name="version" value="1""#));

    // A missing title comes back with the message by the field and the text kept.
    let refused = editor
        .post_form(
            "/redaktor/sider/om-nettstedet",
            &[
                ("version", "1"),
                ("title", ""),
                ("description", "Kort"),
                ("body", "Ny tekst her"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html().contains("Skriv en tittel.") && refused.html().contains("Ny tekst her"),
        "{}",
        refused.html()
    );

    // A saved change shows on the public page, sanitised.
    let saved = editor
        .post_form(
            "/redaktor/sider/om-nettstedet",
            &[
                ("version", "1"),
                ("title", "Om oss"),
                ("description", "Hvem vi er."),
                ("body", "## Ny del\n\nHei<script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        saved.redirect(),
        Some("/redaktor/sider/om-nettstedet?melding=lagret")
    );
    let public = app.get("/om-nettstedet").await;
    let public = public.html();
    assert!(
        public.contains("<h1>Om oss</h1>") && public.contains("<h2>Ny del</h2>"),
        "{public}"
    );
    assert!(!public.contains("<script>alert(1)"));
    assert!(public.contains(r#"<meta name="description" content="Hvem vi er.""#));

    // The same form sent again (version 1) would overwrite that change: refused, text kept.
    let stale = editor
        .post_form(
            "/redaktor/sider/om-nettstedet",
            &[
                ("version", "1"),
                ("title", "Gammel"),
                ("description", "D."),
                ("body", "Min tekst"),
            ],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(
        stale.html().contains("Noen andre har lagret siden") && stale.html().contains("Min tekst")
    );
    let title: String = sqlx::query_scalar("SELECT title FROM page WHERE slug = 'om-nettstedet'")
        .fetch_one(app.pool())
        .await
        .unwrap();
    assert_eq!(title, "Om oss");

    // Version 1 can be viewed and saved back.
    let old = editor.get("/redaktor/sider/om-nettstedet?versjon=1").await;
    assert!(
        old.html().contains("Du ser versjon 1")
            && old.html().contains(r#"name="version" value="2""#)
    );
}

#[tokio::test]
async fn the_guide_answers_from_the_url_alone() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let shared = "/veiviser?plan=kurs&nivaa=tjeneste&innflytelse=delt&tid=lang&honorar=ja";
    let (status, html) = get(&state, shared).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Anbefaling: Samarbeide"), "{html}");
    assert!(
        html.contains("Mandat, rollebeskrivelser og møteplaner")
            || html.contains("/ressurser/mandat-rollebeskrivelser-og-moteplaner")
    );
    let (_, unpaid) = get(&state, &shared.replace("honorar=ja", "honorar=nei")).await;
    assert!(unpaid.contains("Anbefaling: Involvere"));
    let (_, partial) = get(&state, "/veiviser?plan=kurs").await;
    assert!(
        !partial.contains("Anbefaling:") && partial.contains("Velg ett svar her"),
        "missing answers are named by their questions"
    );
}

/// Pages are counted from the server side of the request (and the browser's
/// beacon for client-side navigation); bots, Do Not Track and Global Privacy
/// Control are not, nor editors' pages or failed requests.
#[tokio::test]
async fn page_views_are_counted_on_the_server_except_bots_and_opt_outs() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = seeded_state(&dir).await;
    let (recorder, mut events) = app::stats::Recorder::new(&state.public_url);
    state.stats = std::sync::Arc::new(recorder);
    let browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
    let send = |method: &str, uri: &str, ua: &str, extra: Option<(&str, &str)>, body: &str| {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("accept", "text/html")
            .header("user-agent", ua)
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [203, 0, 113, 9],
                40000,
            ))));
        if let Some((k, v)) = extra {
            request = request.header(k, v);
        }
        let request = request.body(Body::from(body.to_string())).unwrap();
        let state = state.clone();
        async move {
            server::router(state)
                .oneshot(request)
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(send("GET", "/", browser, None, "").await, StatusCode::OK);
    assert_eq!(
        send("GET", "/ressurser?nivaa=individ", browser, None, "").await,
        StatusCode::OK
    );
    assert_eq!(
        send("GET", "/finnes-ikke", browser, None, "").await,
        StatusCode::NOT_FOUND
    );
    send("GET", "/redaktor", browser, None, "").await;
    assert_eq!(
        send(
            "GET",
            "/",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            None,
            ""
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        send("GET", "/", browser, Some(("dnt", "1")), "").await,
        StatusCode::OK
    );
    assert_eq!(
        send("GET", "/", browser, Some(("sec-gpc", "1")), "").await,
        StatusCode::OK
    );
    assert_eq!(
        send("POST", "/besok", browser, None, "/veiviser").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send("POST", "/besok", browser, None, "https://annet.no/").await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send("POST", "/besok", browser, None, "/redaktor").await,
        StatusCode::NO_CONTENT,
        "ours, just not counted"
    );

    let mut batch = Vec::new();
    while let Ok(event) = events.try_recv() {
        batch.push(event);
    }
    let paths: Vec<String> = batch
        .iter()
        .filter_map(|e| match e {
            app::stats::Event::View { path, .. } => Some(path.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(paths, ["/", "/ressurser", "/veiviser"]);
    assert!(batch.iter().any(|e| matches!(e, app::stats::Event::Filter { facet, value, .. } if facet == "nivaa" && value == "individ")));
    app::stats::write_batch(&state.pool, &batch).await.unwrap();
    let today = app::stats::today();
    let report = app::db::statistics::report(&state.pool, &today, &today)
        .await
        .unwrap();
    assert_eq!(
        (report.visitors, report.views),
        (1, 3),
        "one visitor, three pages"
    );

    // The public page shows the figures; the dashboard is for editors.
    let (status, html) = get(&state, "/statistikk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<dt>Sidevisninger</dt><dd>3</dd>"), "{html}");
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;
    let (status, html) = get_with(&state, "/redaktor/statistikk?fra=2026-13-01", &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Skriv fra-datoen som ÅÅÅÅ-MM-DD.") && html.contains(r#"value="2026-13-01""#),
        "the bad date is named and kept"
    );
}
