//! Review 3, N4: only an editor's save empties the page cache; an anonymous
//! POST (a 303 to sign-in, a public server function) never does.

use super::*;

const PAGE: &str = "/ressurser/erfaringsbasert-kvalitetssikring";

#[tokio::test]
async fn a_visitor_cannot_empty_the_page_cache() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (first, _) = send(&state, from("192.0.2.1:1", "GET", PAGE, &[], "")).await;
    assert_eq!(first.status(), StatusCode::OK);
    // The generation is what `invalidate` moves; the entry is kept only in a
    // build without `erase_components` (its markers keep the page's inline
    // scripts from being recognised as empty).
    let before = state.pages.usage();
    let browse = <app::api::catalogue::BrowseCatalogue as leptos::server_fn::ServerFn>::PATH;
    for (uri, body) in [
        ("/redaktor/ressurser/ny", "title=x"),
        ("/redaktor/tekster", ""),
        ("/redaktor/sider/om-nettstedet", "body=x"),
        ("/redaktor/innspill/ny", "title=x"),
        (browse, "query="),
    ] {
        let (response, _) = send(&state, from("192.0.2.1:1", "POST", uri, &[], body)).await;
        let after = state.pages.usage();
        assert_eq!(
            (after.generation, after.entries),
            (before.generation, before.entries),
            "POST {uri} answered {} and emptied the cache",
            response.status()
        );
    }
}

#[tokio::test]
async fn an_editors_save_of_a_site_text_forgets_the_pages_that_show_it() {
    let app = TestApp::spawn().await;
    let entry = "/inngang/kompetansesenter";
    let key = "inngang.kompetansesenter.ingress";
    for path in [PAGE, entry] {
        assert_eq!(app.get(path).await.status(), StatusCode::OK);
    }
    let before = state_usage(&app);
    let name = app::domain::texts::field_name(key);
    let opened = app::domain::texts::opened_name(key);
    let stored = app::db::texts::all(app.pool()).await.unwrap();
    let fingerprint = app::domain::texts::fingerprint(&stored.get(key));
    let saved = app
        .as_editor()
        .await
        .post_form(
            "/redaktor/tekster",
            &[
                (name.as_str(), "Endret av testen."),
                (opened.as_str(), fingerprint.as_str()),
            ],
        )
        .await;
    assert_eq!(saved.redirect(), Some("/redaktor/tekster?melding=lagret"));
    let after = state_usage(&app);
    assert_eq!(
        after.generation, before.generation,
        "a text save no longer empties the whole cache"
    );
    if before.entries == 2 {
        // (A build whose pages the cache keeps: see above.)
        assert_eq!(
            after.entries, 1,
            "the resource page stays, the entry page goes"
        );
    }
    // The next view of the entry path shows the new text.
    assert!(app.get(entry).await.html().contains("Endret av testen."));
}

fn state_usage(app: &TestApp) -> app::page_cache::Usage {
    app.state.pages.usage()
}

/// Whether `path` is in the page cache now (and fresh).
fn cached(app: &TestApp, path: &str) -> bool {
    let pages = &app.state.pages;
    let epoch = pages.generation() + app.state.catalogue.invalidations();
    pages
        .get(path, app::page_cache::Accepted::default(), epoch)
        .is_some()
}

#[tokio::test]
async fn an_editors_save_of_a_content_page_forgets_only_that_page() {
    let app = TestApp::spawn().await;
    let page = "/om-nettstedet";
    for path in [PAGE, "/personvern", page] {
        assert_eq!(app.get(path).await.status(), StatusCode::OK);
    }
    let kept = [PAGE, "/personvern", page].map(|p| cached(&app, p));
    let before = state_usage(&app);
    let version = app
        .scalar("SELECT version FROM page WHERE slug = 'om-nettstedet'")
        .await;
    let saved = app
        .as_editor()
        .await
        .post_form(
            "/redaktor/sider/om-nettstedet",
            &[
                ("title", "Om nettstedet"),
                (
                    "description",
                    "Hvem som står bak, og hvordan innholdet holdes oppdatert.",
                ),
                ("body", "Endret av testen."),
                ("version", version.to_string().as_str()),
            ],
        )
        .await;
    assert_eq!(
        saved.redirect(),
        Some("/redaktor/sider/om-nettstedet?melding=lagret")
    );
    assert_eq!(
        state_usage(&app).generation,
        before.generation,
        "a content page's save no longer empties the whole cache"
    );
    if kept.iter().all(|k| *k) {
        // (A build whose pages the cache keeps: see above.)
        assert!(
            cached(&app, PAGE) && cached(&app, "/personvern"),
            "the other pages stay"
        );
        assert!(!cached(&app, page), "the saved page goes");
    }
    assert!(app.get(page).await.html().contains("Endret av testen."));
}

#[tokio::test]
async fn an_editors_save_of_a_round_forgets_the_rounds_pages_only() {
    let app = TestApp::spawn().await;
    let editor = app.as_editor().await;
    // The round's form; a new round has no version yet (empty).
    let round = |version: &'static str, intro: &'static str| {
        [
            ("slug", "hurtigrunde"),
            ("title", "Hurtigrunde om testen"),
            ("intro", intro),
            ("closes_on", "2099-12-31"),
            ("status", "published"),
            ("questions", "Hva mener du?"),
            ("version", version),
        ]
    };
    let created = editor
        .post_form("/redaktor/innspill/ny", &round("", "Første utgave."))
        .await;
    assert_eq!(
        created.redirect(),
        Some("/redaktor/innspill/hurtigrunde?melding=lagret")
    );
    for path in [PAGE, "/innspill", "/innspill/hurtigrunde"] {
        assert_eq!(app.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let page_kept = cached(&app, PAGE);
    let rounds_kept = cached(&app, "/innspill") && cached(&app, "/innspill/hurtigrunde");
    let before = state_usage(&app);
    let saved = editor
        .post_form(
            "/redaktor/innspill/hurtigrunde",
            &round("1", "Andre utgave, endret av testen."),
        )
        .await;
    assert_eq!(
        saved.redirect(),
        Some("/redaktor/innspill/hurtigrunde?melding=lagret")
    );
    assert_eq!(
        state_usage(&app).generation,
        before.generation,
        "a round's save no longer empties the whole cache"
    );
    if page_kept && rounds_kept {
        // (A build whose pages the cache keeps: see above.)
        assert!(cached(&app, PAGE), "a resource page stays");
        assert!(
            !cached(&app, "/innspill") && !cached(&app, "/innspill/hurtigrunde"),
            "the rounds' list and the round's page go"
        );
    }
    assert!(app
        .get("/innspill/hurtigrunde")
        .await
        .html()
        .contains("Andre utgave, endret av testen."));
}
