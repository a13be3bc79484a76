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
async fn an_editors_save_of_a_public_text_empties_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let _ = send(&state, from("192.0.2.1:1", "GET", PAGE, &[], "")).await;
    let before = state.pages.usage();
    let key = app::domain::texts::SITE_TEXTS[0].key;
    let name = app::domain::texts::field_name(key);
    let stored = app::db::texts::all(&state.pool).await.unwrap();
    let pairs = [
        format!("{}=Endret+av+testen", app::query::encode(&name)),
        format!(
            "{}={}",
            app::query::encode(&app::domain::texts::opened_name(key)),
            app::domain::texts::fingerprint(&stored.get(key))
        ),
    ];
    let (status, _, _) = call(
        &state,
        "POST",
        "/redaktor/tekster",
        Some(&editor),
        &pairs.join("&"),
    )
    .await;
    assert!(status.is_redirection() || status.is_success(), "{status}");
    assert!(
        state.pages.usage().generation > before.generation,
        "a saved text starts a new generation"
    );
}
