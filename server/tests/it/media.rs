//! Pictures and documents (issue 29): an editor's upload through the
//! multipart form, what is served, and every bad file refused with a
//! Norwegian sentence by the field and nothing stored.

use app::domain::account::Role;
use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use tower::ServiceExt;

use crate::common::*;

const BOUNDARY: &str = "----bli-involvert-test";

/// A multipart body: the file, then the text fields.
pub fn form(name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    ).as_bytes());
    body.extend(bytes);
    body.extend(b"\r\n");
    for (key, value) in fields {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Sends the upload form as a browser does; (status, location, body).
pub async fn upload(
    state: &app::state::AppState,
    cookie: &str,
    body: Vec<u8>,
) -> (StatusCode, Option<String>, String) {
    let response = server::router(state.clone())
        .oneshot(
            Request::post("/redaktor/filer")
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .header("cookie", cookie)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    let body = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (
        status,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// GET with the response's headers and bytes.
pub async fn fetch(
    state: &app::state::AppState,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = server::router(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 30 << 20).await.unwrap();
    (parts.status, parts.headers, bytes.to_vec())
}

pub async fn media_count(state: &app::state::AppState) -> (i64, i64) {
    let media: i64 = sqlx::query_scalar("SELECT count(*) FROM media")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let blobs: i64 = sqlx::query_scalar("SELECT count(*) FROM media_blob")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    (media, blobs)
}

/// What a camera writes into a photo and must never be served.
const CAMERA_SECRET: &[u8] = b"GPS 59.9139N 10.7522E KAMERA-SERIENUMMER-12345";

/// A `width`×`height` photo-like JPEG with an EXIF block.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 85)
        .encode_image(&image)
        .unwrap();
    // APP1 "Exif": a little-endian TIFF header with an empty directory,
    // followed by what a camera would add.
    let mut exif = b"Exif\0\0II\x2a\0\x08\0\0\0\0\0\0\0\0\0".to_vec();
    exif.extend(CAMERA_SECRET);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((exif.len() + 2) as u16).to_be_bytes());
    out.extend(exif);
    out.extend(&plain[2..]);
    out
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A PNG whose header claims 100000×100000 pixels (40 GB decoded).
fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.sum().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A ZIP of stored entries, as an office suite writes one.
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let mut header = Vec::new();
        header.extend(b"PK\x03\x04");
        header.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        header.extend(crc.sum().to_le_bytes());
        header.extend((data.len() as u32).to_le_bytes());
        header.extend((data.len() as u32).to_le_bytes());
        header.extend((name.len() as u16).to_le_bytes());
        header.extend([0, 0]);
        out.extend(&header);
        out.extend(name.as_bytes());
        out.extend(*data);
        central.extend(b"PK\x01\x02");
        central.extend([20, 0]);
        central.extend(&header[4..30]);
        central.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06\0\0\0\0");
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend([0, 0]);
    out
}

pub fn docx() -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#),
        ("word/document.xml", b"<w:document/>"),
    ])
}

#[tokio::test]
async fn a_photo_loses_its_exif_and_is_kept_in_three_widths() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-bilder", Role::Editor).await;
    let photo = jpeg_with_exif(2000, 1500);
    assert!(photo
        .windows(CAMERA_SECRET.len())
        .any(|w| w == CAMERA_SECRET));

    let (status, location, _) = upload(
        &state,
        &editor,
        form("møte.jpg", &photo, &[("alt", "Fem personer rundt et bord")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/filer?melding=fil-lastet-opp")
    );

    let hash = server::media::hash(&photo);
    let widths: Vec<i64> = sqlx::query_scalar(
        "SELECT b.width FROM media_blob b JOIN media m ON m.id = b.media_id WHERE m.hash = ?1 ORDER BY b.width",
    )
    .bind(&hash)
    .fetch_all(&state.pool)
    .await
    .unwrap();
    assert_eq!(widths, [480, 960, 1600]);
    for (width, height) in [(480, 360), (960, 720), (1600, 1200)] {
        let (status, headers, bytes) = fetch(&state, &format!("/filer/{hash}-{width}.jpg")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif")
                && !bytes
                    .windows(CAMERA_SECRET.len())
                    .any(|w| w == CAMERA_SECRET),
            "{width}: the camera's data is gone"
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (width, height));
    }
    // Never wider than stored: no 2000 px variant, no upscaling.
    assert_eq!(
        fetch(&state, &format!("/filer/{hash}-2000.jpg")).await.0,
        StatusCode::NOT_FOUND
    );

    // The media page gives the Markdown, and a body using it gets a
    // responsive picture.
    let (_, html) = get_with(&state, "/redaktor/filer", &editor).await;
    let markdown = format!("![Fem personer rundt et bord](/filer/{hash}-1600x1200.jpg)");
    assert!(html.contains(&markdown), "{html}");
    let rendered = app::markdown::render(&markdown);
    assert!(
        rendered.contains(&format!("/filer/{hash}-960.jpg 960w")),
        "{rendered}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE entity = 'media' AND action = 'create' AND actor = 'redaktor-bilder'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_document_is_served_as_a_download_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-dok", Role::Editor).await;
    let file = docx();
    let (status, _, _) = upload(&state, &editor, form("Mal for brukerråd.docx", &file, &[])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let hash = server::media::hash(&file);
    let (status, headers, bytes) =
        fetch(&state, &format!("/filer/{hash}/Mal-for-brukerr-d.docx")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, file);
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Mal for brukerr_d.docx\"; filename*=UTF-8''Mal%20for%20brukerr%C3%A5d.docx"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let (_, html) = get_with(&state, "/redaktor/filer", &editor).await;
    assert!(
        html.contains("Last ned «Mal for brukerråd.docx» (DOCX, "),
        "{html}"
    );
}

#[tokio::test]
async fn lies_bombs_and_broken_files_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-feil", Role::Editor).await;
    let whole = png(300, 200);
    let truncated = whole[..whole.len() / 2].to_vec();
    let photo = jpeg_with_exif(640, 480);
    let truncated_jpeg = photo[..photo.len() / 2].to_vec();
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF".to_vec();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bilde.png", pdf.clone(), "innholdet er PDF, ikke PNG"),
        (
            "bilde.jpg",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "Vi kan ikke ta imot denne filtypen",
        ),
        ("bombe.png", png_bomb(), "Bildet er for stort"),
        ("tom.jpg", Vec::new(), "er tom (0 byte)"),
        ("halv.png", truncated, "skadet eller ufullstendig"),
        ("halv.jpg", truncated_jpeg, "skadet eller ufullstendig"),
        (
            "skript.pdf",
            b"%PDF-1.4\n1 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj".to_vec(),
            "skript eller handlinger",
        ),
        (
            "apne.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj".to_vec(),
            "skript eller handlinger",
        ),
        ("a\tb.pdf", pdf.clone(), "kontrolltegn"),
        (
            "makro.docx",
            zip(&[
                (
                    "[Content_Types].xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                ),
                ("word/document.xml", b"x"),
                ("word/vbaProject.bin", b"x"),
            ]),
            "makroer",
        ),
    ];
    for (name, bytes, expected) in cases {
        let (status, _, html) =
            upload(&state, &editor, form(name, &bytes, &[("alt", "Et bilde")])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(html.contains(expected), "{name}: {expected}");
        assert!(
            html.contains("field-error"),
            "{name}: the message is by the field"
        );
        assert_eq!(media_count(&state).await, (0, 0), "{name}: nothing stored");
    }
    // No file chosen at all.
    let (status, _, html) = upload(&state, &editor, form("", &[], &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Velg en fil"));

    // A path in the name is dropped: the name kept is the file's own.
    let (status, _, _) = upload(
        &state,
        &editor,
        form("..\\..\\system32/../rapport.pdf", &pdf, &[]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let name: String = sqlx::query_scalar("SELECT name FROM media")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(name, "rapport.pdf");
}

#[tokio::test]
async fn an_image_needs_alt_text_or_the_decorative_choice() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-alt", Role::Editor).await;
    let image = png(800, 600);
    let (status, _, html) = upload(&state, &editor, form("figur.png", &image, &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Skriv en alt-tekst"), "{html}");
    assert_eq!(media_count(&state).await, (0, 0));

    let (status, _, _) = upload(
        &state,
        &editor,
        form("figur.png", &image, &[("dekorativ", "ja")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let hash = server::media::hash(&image);
    // 800 px wide: 480 and its own width, as PNG.
    let (_, html) = get_with(&state, "/redaktor/filer", &editor).await;
    assert!(
        html.contains(&format!("![](/filer/{hash}-800x600.png)")),
        "{html}"
    );
    assert_eq!(
        fetch(&state, &format!("/filer/{hash}-480.png")).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_file_in_use_is_not_deleted_and_the_page_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-slett", Role::Editor).await;
    let file = docx();
    upload(&state, &editor, form("mal.docx", &file, &[])).await;
    let hash = server::media::hash(&file);
    let (slug, title): (String, String) = sqlx::query_as(
        "SELECT slug, title FROM resource WHERE status = 'published' ORDER BY slug LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE resource SET body = body || ?1 WHERE slug = ?2")
        .bind(format!("\n\n[Last ned malen](/filer/{hash}/mal.docx)"))
        .bind(&slug)
        .execute(&state.pool)
        .await
        .unwrap();

    let (status, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/filer/{hash}/slett"),
        Some(&editor),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/filer?melding=fil-i-bruk")
    );
    assert_eq!(media_count(&state).await, (1, 1));
    let (_, html) = get_with(&state, "/redaktor/filer?melding=fil-i-bruk", &editor).await;
    assert!(
        html.contains("Brukt i: ") && html.contains(&format!("/redaktor/ressurser/{slug}")),
        "{title}"
    );

    sqlx::query("UPDATE resource SET body = replace(body, ?1, '') WHERE slug = ?2")
        .bind(format!("/filer/{hash}"))
        .bind(&slug)
        .execute(&state.pool)
        .await
        .unwrap();
    let (_, location, _) = call(
        &state,
        "POST",
        &format!("/redaktor/filer/{hash}/slett"),
        Some(&editor),
        "",
    )
    .await;
    assert_eq!(
        location.as_deref(),
        Some("/redaktor/filer?melding=fil-slettet")
    );
    assert_eq!(media_count(&state).await, (0, 0));
    let deleted: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE entity = 'media' AND action = 'delete'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(deleted, 1);
}

#[tokio::test]
async fn the_site_total_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = seeded_state(&dir).await;
    state.media_quota = 100;
    let editor = session_cookie(&state, "redaktor-kvote", Role::Editor).await;
    let (status, _, html) = upload(&state, &editor, form("mal.docx", &docx(), &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Det er ikke plass til filen"), "{html}");
    assert_eq!(media_count(&state).await, (0, 0));
}

#[tokio::test]
async fn a_visitor_cannot_upload() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let response = server::router(state.clone())
        .oneshot(
            Request::post("/redaktor/filer")
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(Body::from(form("mal.docx", &docx(), &[])))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(media_count(&state).await, (0, 0));
}

/// The markup the editors' islands work on (`app::islands::upload`,
/// `app::islands::insert`): the upload form inside its island, in the part
/// a refusal replaces, on the page and on the refusal alike; each file's
/// «Sett inn i teksten» hidden (no button without JavaScript), with its
/// Markdown and the body it fills.
#[tokio::test]
async fn the_upload_and_insert_islands_find_their_markup() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "redaktor-oyer", Role::Editor).await;
    let part = format!(r#"<div id="{}">"#, app::islands::upload::PART);

    let (_, page) = get_with(&state, "/redaktor/filer", &editor).await;
    let (status, _, refused) = upload(
        &state,
        &editor,
        form("kart.png", b"bare tekst", &[("alt", "Et kart")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for html in [&page, &refused] {
        let island = html.find("UploadForm").expect("the upload island");
        let inside = &html[island..];
        let part_at = inside.find(&part).expect("the part a refusal replaces");
        let form_at = inside[part_at..]
            .find(r#"enctype="multipart/form-data""#)
            .expect("the form inside the part");
        assert!(inside[part_at + form_at..].contains(r#"class="field drop-zone"#));
    }
    // The refusal: the problem by the field, the alt text kept, the summary
    // to focus, all inside the part.
    let part_html = &refused[refused.find(&part).unwrap()..];
    assert!(part_html.contains(r#"id="fil-feil""#), "{refused}");
    assert!(part_html.contains(r#"value="Et kart""#), "{refused}");
    assert!(part_html.contains("autofocus"), "{refused}");

    let (status, _, _) = upload(&state, &editor, form("mal.docx", &docx(), &[])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    for path in ["/redaktor/ressurser/ny", "/redaktor/sider/om-nettstedet"] {
        let (status, html) = get_with(&state, path, &editor).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains("InsertButtons"), "{path}: the insert island");
        assert!(html.contains(r#"<textarea id="body""#), "{path}: the body");
        let button = html
            .find(app::islands::insert::MARKDOWN)
            .map(|at| &html[html[..at].rfind("<button").unwrap()..])
            .expect("a «Sett inn i teksten» button");
        let tag = &button[..button.find('>').unwrap()];
        assert!(tag.contains(" hidden"), "{path}: {tag}");
        assert!(tag.contains(r#"aria-controls="body""#), "{path}: {tag}");
        assert!(tag.contains("/filer/"), "{path}: the Markdown in {tag}");
    }
}
