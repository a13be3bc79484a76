//! A resource's downloads (issue 29): an editor attaches uploaded documents
//! from the resource's form, a visitor sees them under «Nedlastinger» with
//! type and size, an attached file is not deleted, and the editors' forms
//! offer every file with its Markdown.

use app::domain::account::Role;
use axum::http::StatusCode;

use crate::{
    common::*,
    media::{docx, form, media_count, upload},
};

/// A published resource: (slug, title).
async fn published(state: &app::state::AppState) -> (String, String) {
    sqlx::query_as(
        "SELECT slug, title FROM resource WHERE status = 'published' ORDER BY slug LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap()
}

async fn attached(state: &app::state::AppState) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM resource_media")
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_visitor_sees_the_documents_an_editor_attached() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-vedlegg", Role::Editor).await;
    let file = docx();
    upload(&state, &editor, form("Mal for brukerråd.docx", &file, &[])).await;
    let hash = server::media::hash(&file);
    let (slug, _) = published(&state).await;
    // The page is cached before the attachment: the save must replace it.
    let (_, before) = get(&state, &format!("/ressurser/{slug}")).await;
    assert!(!before.contains("Nedlastinger"));

    let (status, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/ressurser/{slug}/nedlastinger"),
        Some(&editor),
        &format!("nedlasting={hash}"),
    )
    .await;

    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(
            format!("/redaktor/ressurser/{slug}?melding=nedlastinger-lagret#nedlastinger").as_str()
        )
    );
    let (status, html) = get(&state, &format!("/ressurser/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"<h2 id="nedlastinger">Nedlastinger</h2>"#),
        "{html}"
    );
    let size = app::domain::media::human_size(file.len() as i64);
    assert!(
        html.contains(&format!("Last ned «Mal for brukerråd» (DOCX, {size})")),
        "{html}"
    );
    assert!(html.contains(&format!("/filer/{hash}/Mal-for-brukerr-d.docx")));
    let (_, form_html) = get_with(&state, &format!("/redaktor/ressurser/{slug}"), &editor).await;
    assert!(
        form_html.contains(&format!(r#"value="{hash}" checked"#)),
        "the form shows the document ticked"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE entity = 'resource' AND summary LIKE '%nedlastinger «Mal for brukerråd.docx»'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn an_attached_document_is_not_deleted_until_it_is_taken_off() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-vedlagt", Role::Editor).await;
    let file = docx();
    upload(&state, &editor, form("mal.docx", &file, &[])).await;
    let hash = server::media::hash(&file);
    let (slug, title) = published(&state).await;
    let attach = format!("/redaktor/ressurser/{slug}/nedlastinger");
    call(
        &state,
        "POST",
        &attach,
        Some(&editor),
        &format!("nedlasting={hash}"),
    )
    .await;

    let delete = format!("/redaktor/filer/{hash}/slett");
    let (_, location, _) = call(&state, "POST", &delete, Some(&editor), "").await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/filer?melding=fil-i-bruk")
    );
    assert_eq!(media_count(&state).await, (1, 1));
    let (_, html) = get_with(&state, "/redaktor/filer", &editor).await;
    assert!(
        html.contains(&format!(
            r#"<a href="/redaktor/ressurser/{slug}">{title}</a>"#
        )),
        "the media page says where"
    );

    // Nothing ticked: the resource offers nothing, and the file can go.
    call(&state, "POST", &attach, Some(&editor), "").await;
    assert_eq!(attached(&state).await, 0);
    let (_, location, _) = call(&state, "POST", &delete, Some(&editor), "").await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/filer?melding=fil-slettet")
    );
    assert_eq!(media_count(&state).await, (0, 0));
}

#[tokio::test]
async fn an_unknown_document_or_an_image_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-ukjent", Role::Editor).await;
    let image = crate::media::png(600, 400);
    upload(
        &state,
        &editor,
        form("kart.png", &image, &[("alt", "Kart over regionene")]),
    )
    .await;
    let (slug, _) = published(&state).await;
    for hash in ["ffffffffffffffff".to_string(), server::media::hash(&image)] {
        let (_, location, _) = call(
            &state,
            "POST",
            &format!("/redaktor/ressurser/{slug}/nedlastinger"),
            Some(&editor),
            &format!("nedlasting={hash}"),
        )
        .await;
        assert_eq!(
            location.as_deref(),
            Some(
                format!("/redaktor/ressurser/{slug}?melding=nedlasting-borte#nedlastinger")
                    .as_str()
            )
        );
    }
    assert_eq!(attached(&state).await, 0);
}

#[tokio::test]
async fn a_visitor_cannot_attach() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-besok", Role::Editor).await;
    let file = docx();
    upload(&state, &editor, form("mal.docx", &file, &[])).await;
    let (slug, _) = published(&state).await;
    let (status, _, _) = call(
        &state,
        "POST",
        &format!("/redaktor/ressurser/{slug}/nedlastinger"),
        None,
        &format!("nedlasting={}", server::media::hash(&file)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(attached(&state).await, 0);
}

#[tokio::test]
async fn the_editors_forms_offer_each_file_with_its_markdown_and_an_upload_link() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-lim", Role::Editor).await;
    let file = docx();
    upload(&state, &editor, form("mal.docx", &file, &[])).await;
    let hash = server::media::hash(&file);
    let (slug, _) = published(&state).await;
    for path in [
        format!("/redaktor/ressurser/{slug}"),
        "/redaktor/ressurser/ny".to_string(),
        "/redaktor/sider/om-nettstedet".to_string(),
    ] {
        let (status, html) = get_with(&state, &path, &editor).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains(r#"<a href="/redaktor/filer">Last opp fil</a>"#),
            "{path}"
        );
        assert!(
            html.contains(&format!(
                r#"<label for="lim-inn-{hash}">mal.docx (dokument)</label>"#
            )),
            "{path}: {html}"
        );
        assert!(
            html.contains(&format!("](/filer/{hash}/mal.docx)")),
            "{path}"
        );
    }
}
