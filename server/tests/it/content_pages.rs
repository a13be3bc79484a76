//! Content that is true and editable: review dates with their source, an
//! organisation's one page, and the site texts editors keep in the app.

use app::domain::account::Role;
use axum::http::StatusCode;

use crate::common::*;

#[tokio::test]
async fn a_review_date_is_shown_only_with_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (slug, label, url): (String, String, String) = sqlx::query_as(
        "SELECT slug, reviewed_source_label, reviewed_source_url FROM resource
          WHERE status = 'published' AND last_reviewed IS NOT NULL ORDER BY slug LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let (status, html) = get(&state, &format!("/ressurser/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Sist kontrollert") && html.contains(&format!("href=\"{url}\"")),
        "{slug}: no source link"
    );
    assert!(
        html.contains(&label.replace('&', "&amp;").replace('<', "&lt;")),
        "{slug}: the source is named"
    );

    let unchecked: String = sqlx::query_scalar(
        "SELECT slug FROM resource WHERE status = 'published' AND last_reviewed IS NULL ORDER BY slug LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let (_, html) = get(&state, &format!("/ressurser/{unchecked}")).await;
    assert!(
        html.contains("Ikke kontrollert ennå") && !html.contains("Sist kontrollert"),
        "{unchecked}"
    );
    let (_, html) = get(&state, "/veiledere-og-foringer").await;
    assert!(
        html.contains("Ikke kontrollert ennå"),
        "the guidance overview says which are not checked"
    );
}

#[tokio::test]
async fn an_organisation_has_one_page_and_its_old_resource_address_leads_there() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (status, location, _) = call(&state, "GET", "/ressurser/a-larm", None, "").await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::PERMANENT_REDIRECT,
            Some("/organisasjoner/a-larm")
        )
    );
    let (status, location, _) = call(
        &state,
        "GET",
        "/ressurser/barn-av-rusmisbrukere-bar",
        None,
        "",
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::PERMANENT_REDIRECT, Some("/organisasjoner/bar"))
    );

    let (status, html) = get(&state, "/organisasjoner/a-larm").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<h1>A-larm"),
        "the organisation's name is the heading"
    );
    assert!(
        html.contains("Ressurser fra"),
        "with the resources it is behind"
    );
    let (_, html) = get(&state, "/brukerorganisasjoner").await;
    assert!(
        html.contains("href=\"/organisasjoner/a-larm\""),
        "the directory links to it"
    );
    let (status, _) = get(&state, "/organisasjoner/finnes-ikke").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let no_duplicates: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM resource r JOIN resource_facet rf ON rf.resource_id = r.id
           JOIN facet_value v ON v.id = rf.facet_value_id
          WHERE v.facet_key = 'type' AND v.key = 'organisasjon' AND r.slug IN (SELECT slug FROM organisation)",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(no_duplicates, 0, "no organisation is also a resource");
}

#[tokio::test]
async fn editors_change_the_entry_paths_and_guide_texts_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (_, html) = get(&state, "/inngang/kompetansesenter").await;
    assert!(
        html.contains("Brukerne får vite hva som skjer, og hvorfor."),
        "the seeded step text is shown"
    );

    let editor = session_cookie(&state, "redaktor", Role::Editor).await;
    let (status, html) = get_with(&state, "/redaktor/tekster", &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Trinn 1: Informere"));
    assert!(
        html.contains("Veiviseren: begrunnelser") && html.contains("Veiviseren: sjekkliste"),
        "the guide's reasons and checklist are listed in their own groups"
    );

    // A bad text is refused by its field; what was typed stays. Each text
    // goes with the fingerprint of the stored text the form was opened with.
    let name = |key: &str| app::query::encode(&app::domain::texts::field_name(key));
    let opened = |keys: &'static [&'static str]| {
        let pool = state.pool.clone();
        async move {
            let stored = app::db::texts::all(&pool).await.unwrap();
            keys.iter()
                .map(|key| {
                    format!(
                        "&{}={}",
                        app::query::encode(&app::domain::texts::opened_name(key)),
                        app::domain::texts::fingerprint(&stored.get(key))
                    )
                })
                .collect::<String>()
        }
    };
    let body = format!(
        "{}=Ny+tekst+om+%C3%A5+informere&{}={}",
        name("inngang.kompetansesenter.informere"),
        name("inngang.kompetansesenter.konsultere"),
        opened(&[
            "inngang.kompetansesenter.informere",
            "inngang.kompetansesenter.konsultere"
        ])
        .await
    );
    let (status, _, html) = call(&state, "POST", "/redaktor/tekster", Some(&editor), &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Teksten kan ikke være tom.") && html.contains("Ny tekst om å informere"),
        "{html}"
    );
    let (_, html) = get(&state, "/inngang/kompetansesenter").await;
    assert!(
        !html.contains("Ny tekst om å informere"),
        "nothing was saved"
    );

    let body = format!(
        "{}=Ny+tekst+om+%C3%A5+informere{}",
        name("inngang.kompetansesenter.informere"),
        opened(&["inngang.kompetansesenter.informere"]).await
    );
    let (status, location, _) =
        call(&state, "POST", "/redaktor/tekster", Some(&editor), &body).await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/tekster?melding=lagret")
        )
    );
    let (_, html) = get(&state, "/inngang/kompetansesenter").await;
    assert!(
        html.contains("Ny tekst om å informere"),
        "the page shows the new text at once"
    );
    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE entity = 'site_text'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(logged, 1);

    let body = format!(
        "{}=Brukerne+f%C3%A5r+beskjed.{}",
        name("veiviser.informere"),
        opened(&["veiviser.informere"]).await
    );
    call(&state, "POST", "/redaktor/tekster", Some(&editor), &body).await;
    let (_, html) = get(
        &state,
        "/veiviser?plan=kurs&nivaa=tjeneste&innflytelse=lite&tid=lang&honorar=ja",
    )
    .await;
    assert!(
        html.contains("Anbefaling: Informere") && html.contains("Brukerne får beskjed."),
        "the guide explains the step in the editors' words"
    );
}

/// A site text's save forgets only the cached pages under
/// `texts::SHOWN_ON` (the entry paths, the guide): every public page is
/// rendered here, and a page elsewhere that shows a site text fails.
#[tokio::test]
async fn site_texts_show_only_on_the_pages_their_save_forgets() {
    use app::domain::texts::{SHOWN_ON, SITE_TEXTS};
    let app = TestApp::spawn().await;
    // Each text made its own marker, so a page showing it is found (the
    // seed's titles equal the taxonomy's labels, which other pages show).
    sqlx::query("UPDATE site_text SET text = 'Markor ' || replace(key, '.', ' ')")
        .execute(app.pool())
        .await
        .unwrap();
    let samples: Vec<(&str, String)> = SITE_TEXTS
        .iter()
        .map(|d| (d.key, format!("Markor {}", d.key.replace('.', " "))))
        .collect();
    let mut paths: Vec<String> = app::db::explore::sitemap(app.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    // The guide with a full set of answers shows its texts.
    for answers in [
        "plan=kurs&nivaa=tjeneste&innflytelse=lite&tid=lang&honorar=ja",
        "plan=forskning&nivaa=individ&innflytelse=delt&tid=kort&honorar=nei",
    ] {
        paths.push(format!("/veiviser?{answers}"));
    }
    let mut shown = std::collections::BTreeSet::new();
    for path in &paths {
        let html = app.get(path).await.into_html();
        for (key, sample) in &samples {
            if html.contains(sample.as_str()) {
                assert!(
                    SHOWN_ON.iter().any(|p| path.starts_with(p)),
                    "{path} shows the site text {key}, but a save of it does not forget {path}: add it to texts::SHOWN_ON"
                );
                shown.insert(*key);
            }
        }
    }
    assert!(
        shown.len() >= samples.len() / 2,
        "only {} of {} texts were found on any page",
        shown.len(),
        samples.len()
    );
}

#[tokio::test]
async fn content_pages_and_rounds_show_only_where_their_save_forgets() {
    use app::domain::{consultation::shows_rounds, page::shows_page};
    let app = TestApp::spawn().await;
    // Each page and a published round made their own markers, so a page
    // showing them is found.
    sqlx::query(
        "UPDATE page SET title = 'Markortittel ' || slug, description = 'Markorbeskrivelse ' || slug,
                         body = 'Markortekst ' || slug",
    )
    .execute(app.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO consultation (slug, title, intro, closes_on, status)
         VALUES ('markorrunde', 'Markorrunde tittel', 'Markorrunde ingress', '2099-12-31', 'published')",
    )
    .execute(app.pool())
    .await
    .unwrap();
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM page")
        .fetch_all(app.pool())
        .await
        .unwrap();
    let paths: Vec<String> = app::db::explore::sitemap(app.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert!(paths.iter().any(|p| p == "/innspill/markorrunde"));
    let (mut pages_found, mut rounds_found) = (0, 0);
    for path in &paths {
        let html = app.get(path).await.into_html();
        for slug in &slugs {
            if ["tittel", "beskrivelse", "tekst"]
                .iter()
                .any(|part| html.contains(&format!("Markor{part} {slug}")))
            {
                assert!(
                    shows_page(slug, path),
                    "{path} shows the content page {slug}, but a save of it does not forget {path}: see page::shows_page"
                );
                pages_found += 1;
            }
        }
        if html.contains("Markorrunde") {
            assert!(
                shows_rounds(path),
                "{path} shows a consultation round, but a round's save does not forget {path}: see consultation::shows_rounds"
            );
            rounds_found += 1;
        }
    }
    assert_eq!(
        pages_found,
        slugs.len(),
        "every content page found on its own path"
    );
    assert_eq!(
        rounds_found, 2,
        "the round found on /innspill and its own page"
    );
}
