//! The content folder carries files (issue 29): the seed's three templates
//! become downloads of their resources, and export then import gives the
//! same files, names, alt texts and attachments back.

use std::path::PathBuf;

use app::domain::account::Role;

use crate::{
    common::*,
    media::{form, png, upload},
};

fn content_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content")
}

type Row = (
    String,
    String,
    String,
    String,
    bool,
    Option<i64>,
    Option<i64>,
);

async fn stored(pool: &sqlx::SqlitePool) -> Vec<Row> {
    sqlx::query_as(
        "SELECT hash, format, name, alt, decorative, width, height FROM media ORDER BY hash",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn attachments(pool: &sqlx::SqlitePool) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT r.slug, m.hash FROM resource_media rm JOIN resource r ON r.id = rm.resource_id
           JOIN media m ON m.id = rm.media_id ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_three_templates_are_downloads_beside_their_pages() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;

    let report = server::media::import_content_files(&state.pool, &content_dir())
        .await
        .unwrap();

    assert_eq!((report.stored, report.attached), (3, 3));
    let bytes = std::fs::read(content_dir().join("files/mal-mandat-for-brukerrad.docx")).unwrap();
    let size = app::domain::media::human_size(bytes.len() as i64);
    let (_, html) = get(&state, "/ressurser/mal-mandat-for-brukerrad").await;
    assert!(
        html.contains(&format!(
            "Last ned «Mandat for brukerråd (mal)» (DOCX, {size})"
        )),
        "{html}"
    );
    let hash = server::media::hash(&bytes);
    let (_, _, served) = crate::media::fetch(
        &state,
        &format!("/filer/{hash}/Mandat-for-brukerr-d-mal-.docx"),
    )
    .await;
    assert_eq!(served, bytes, "the document is served as it is in content/");
    for slug in [
        "mal-arsplan-og-moteplan",
        "mal-rollebeskrivelse-brukerrepresentant-og-erfaringskonsulent",
    ] {
        let (_, html) = get(&state, &format!("/ressurser/{slug}")).await;
        assert!(html.contains("(mal)» (DOCX, "), "{slug}");
    }

    // Importing again changes nothing.
    let again = server::media::import_content_files(&state.pool, &content_dir())
        .await
        .unwrap();
    assert_eq!((again.stored, again.unchanged, again.attached), (0, 3, 0));
}

#[tokio::test]
async fn export_then_import_gives_the_same_files_back() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    server::media::import_content_files(&state.pool, &content_dir())
        .await
        .unwrap();
    let editor = session_cookie(&state, "redaktor-eksport", Role::Editor).await;
    let picture = png(1200, 800);
    upload(
        &state,
        &editor,
        form(
            "kart.png",
            &picture,
            &[("alt", "Kart over de fire regionene")],
        ),
    )
    .await;
    // The picture illustrates the home page.
    let picture_hash: String = sqlx::query_scalar("SELECT hash FROM media WHERE kind = 'image'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let (_, chosen, _) = call(
        &state,
        "POST",
        "/redaktor/illustrasjoner",
        Some(&editor),
        &form_body(&[("forside", &picture_hash)]),
    )
    .await;
    assert_eq!(
        chosen.as_deref(),
        Some("/redaktor/illustrasjoner?melding=lagret")
    );
    let out = tempfile::tempdir().unwrap();

    app::content::export_dir(&state.pool, out.path())
        .await
        .unwrap();
    let written = app::content::export_files(&state.pool, out.path())
        .await
        .unwrap();
    assert_eq!(written, 4);
    let manifest = std::fs::read_to_string(out.path().join("files/files.toml")).unwrap();
    assert!(
        manifest.contains("alt = \"Kart over de fire regionene\""),
        "{manifest}"
    );

    let fresh = tempfile::tempdir().unwrap();
    let pool = server::open_database(&fresh.path().join("site.db"))
        .await
        .unwrap();
    app::content::import_dir_if_empty(&pool, out.path())
        .await
        .unwrap();
    let report = server::media::import_content_files(&pool, out.path())
        .await
        .unwrap();

    assert!(
        manifest.contains("illustrates = [\"forside\"]"),
        "{manifest}"
    );
    assert_eq!(
        (report.stored, report.attached, report.illustrated),
        (4, 3, 1)
    );
    assert_eq!(
        app::db::media::illustrations(&pool).await.unwrap(),
        [("forside".to_string(), picture_hash)],
        "the home page has its picture again"
    );
    assert_eq!(stored(&pool).await, stored(&state.pool).await);
    assert_eq!(attachments(&pool).await, attachments(&state.pool).await);
    let documents: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT b.data FROM media_blob b JOIN media m ON m.id = b.media_id
          WHERE m.kind = 'document' ORDER BY m.hash",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for data in documents {
        let hash = server::media::hash(&data);
        assert!(
            stored(&pool).await.iter().any(|row| row.0 == hash),
            "a document comes back byte for byte"
        );
    }
}

#[tokio::test]
async fn a_file_that_lies_stops_the_import_by_its_name_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let content = tempfile::tempdir().unwrap();
    std::fs::create_dir(content.path().join("files")).unwrap();
    std::fs::copy(
        content_dir().join("files/mal-mandat-for-brukerrad.docx"),
        content.path().join("files/ok.docx"),
    )
    .unwrap();
    std::fs::write(
        content.path().join("files/mal.docx"),
        b"<html>not a document",
    )
    .unwrap();
    std::fs::write(
        content.path().join("files/files.toml"),
        "[[file]]\npath = \"ok.docx\"\nname = \"ok.docx\"\n\n[[file]]\npath = \"mal.docx\"\nname = \"mal.docx\"\n",
    )
    .unwrap();

    let err = server::media::import_content_files(&state.pool, content.path())
        .await
        .unwrap_err()
        .to_string();

    assert!(err.contains("files/mal.docx"), "{err}");
    assert!(stored(&state.pool).await.is_empty());
}
