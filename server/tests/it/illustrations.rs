//! The illustrations editors choose for the home page and the entry paths
//! (issue 29), through the form kit (`app::api::form`): the form saves,
//! the pages show the picture responsively, a chosen file is in use and
//! cannot be deleted, and a bad choice comes back by its field with the
//! other choices kept and nothing saved.

use axum::http::StatusCode;

use crate::{
    common::*,
    media::{form, png, upload},
};

const PATH: &str = "/redaktor/illustrasjoner";

/// Uploads a 1200×800 picture with `alt`; its hash.
async fn picture(app: &TestApp, alt: &str, colour_seed: u32) -> String {
    let editor = app.as_editor().await;
    let (status, _, body) = upload(
        &app.state,
        editor.cookie().unwrap(),
        form("kart.png", &png(1200 + colour_seed, 800), &[("alt", alt)]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    sqlx::query_scalar("SELECT hash FROM media ORDER BY id DESC LIMIT 1")
        .fetch_one(app.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_editor_gives_the_home_page_a_picture_and_visitors_see_it_responsively() {
    let app = TestApp::spawn().await;
    let hash = picture(&app, "Fem personer rundt et bord", 0).await;
    let editor = app.as_editor().await;

    let form = editor.get(PATH).await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(
        form.html().contains("Fem personer rundt et bord"),
        "the picture is offered with its alt text"
    );
    assert!(!app.get("/").await.html().contains("class=\"illustration\""));
    // A page without an illustration, cached: the save keeps it.
    app.get("/ressurser/erfaringsbasert-kvalitetssikring").await;
    assert_eq!(app.state.pages.usage().entries, 2);

    let saved = editor
        .post_form(
            PATH,
            &[
                ("forside", hash.as_str()),
                ("inngang-kompetansesenter", ""),
                ("inngang-tjenestene", hash.as_str()),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{}", saved.html());
    assert_eq!(
        saved.redirect(),
        Some("/redaktor/illustrasjoner?melding=lagret")
    );
    assert_eq!(
        app.state.pages.usage().entries,
        1,
        "the home page is forgotten, the resource page kept"
    );

    // The next view shows it (the page cache was cleared): every width,
    // the size, the alt text.
    let home = app.get("/").await.into_html();
    assert!(home.contains(&format!("srcset=\"/filer/{hash}-480.png 480w, /filer/{hash}-960.png 960w, /filer/{hash}-1200.png 1200w\"")), "{home}");
    assert!(
        home.contains("width=\"1200\"") && home.contains("height=\"800\""),
        "{home}"
    );
    assert!(
        home.contains("alt=\"Fem personer rundt et bord\""),
        "{home}"
    );
    assert!(home.contains("sizes=\"(min-width: 48rem) 22rem"), "{home}");
    let entry = app.get("/inngang/tjenestene").await.into_html();
    assert!(entry.contains(&format!("/filer/{hash}-480.png")), "{entry}");
    let other = app.get("/inngang/kompetansesenter").await.into_html();
    assert!(
        !other.contains(&format!("/filer/{hash}")),
        "no picture chosen there"
    );

    // In use: listed where, and not deleted.
    let media = editor.get("/redaktor/filer").await.into_html();
    assert!(media.contains("Illustrasjon: Forsiden"), "{media}");
    let refused = editor
        .post_form(&format!("/redaktor/filer/{hash}/slett"), &[])
        .await;
    assert_eq!(
        refused.redirect(),
        Some("/redaktor/filer?melding=fil-i-bruk"),
        "{}",
        refused.html()
    );
    assert_eq!(app.scalar("SELECT count(*) FROM media").await, 1);

    // Saving the same again changes nothing and says so.
    let again = editor
        .post_form(
            PATH,
            &[
                ("forside", hash.as_str()),
                ("inngang-kompetansesenter", ""),
                ("inngang-tjenestene", hash.as_str()),
            ],
        )
        .await;
    assert_eq!(
        again.redirect(),
        Some("/redaktor/illustrasjoner?melding=ingen-endring")
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_log WHERE summary LIKE '%illustrasjon%'")
            .await,
        2,
        "one entry per place changed, none for saving the same"
    );

    // None again: the home page is plain, and the file may go.
    let cleared = editor
        .post_form(
            PATH,
            &[
                ("forside", ""),
                ("inngang-kompetansesenter", ""),
                ("inngang-tjenestene", ""),
            ],
        )
        .await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    assert!(!app
        .get("/")
        .await
        .html()
        .contains(&format!("/filer/{hash}")));
    let deleted = editor
        .post_form(&format!("/redaktor/filer/{hash}/slett"), &[])
        .await;
    assert_eq!(
        deleted.redirect(),
        Some("/redaktor/filer?melding=fil-slettet")
    );
    assert_eq!(app.scalar("SELECT count(*) FROM media").await, 0);
}

#[tokio::test]
async fn a_choice_of_no_picture_comes_back_by_its_field_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let hash = picture(&app, "Et møte", 7).await;
    let editor = app.as_editor().await;

    let refused = editor
        .post_form(
            PATH,
            &[
                ("forside", hash.as_str()),
                ("inngang-kompetansesenter", "0123456789abcdef"),
                ("inngang-tjenestene", ""),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    assert!(html.contains("Rett opp 1 felt før du lagrer."), "{html}");
    assert!(
        html.contains("href=\"#inngang-kompetansesenter\""),
        "the summary links the field: {html}"
    );
    assert!(
        html.contains("id=\"inngang-kompetansesenter-feil\"")
            && html.contains("Bildet finnes ikke lenger. Velg et av bildene i listen."),
        "{html}"
    );
    // What was chosen elsewhere is kept (checked), and the pictures are offered again.
    let kept = format!("id=\"forside-{hash}\" name=\"forside\" value=\"{hash}\" checked");
    assert!(html.contains(&kept), "{html}");
    assert_eq!(
        app.scalar("SELECT count(*) FROM site_illustration").await,
        0,
        "nothing saved"
    );

    // A document is not a picture.
    let document: String = {
        let (status, _, body) = upload(
            &app.state,
            editor.cookie().unwrap(),
            form(
                "plan.pdf",
                b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                &[],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        sqlx::query_scalar("SELECT hash FROM media WHERE kind = 'document'")
            .fetch_one(app.pool())
            .await
            .unwrap()
    };
    let refused = editor
        .post_form(PATH, &[("forside", document.as_str())])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.scalar("SELECT count(*) FROM site_illustration").await,
        0
    );
}
