//! Review 3, N6: an answer to a POST (or any write) and a page that shows
//! what a visitor typed are `private, no-store`, never `public`.

use super::*;

#[tokio::test]
async fn a_visitors_echoed_feedback_is_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (response, body) = send(
        &state,
        from(
            "192.0.2.1:1",
            "POST",
            "/tilbakemelding",
            &[],
            "handling=neste&steg=3&kind=feil&message=Min+helseopplysning&name=Kari+Nordmann&email=kari%40example.no",
        ),
    )
    .await;
    assert!(
        body.contains("kari@example.no"),
        "the page shows what was typed"
    );
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert!(response.headers().get_all("vary").iter().any(|v| v
        .to_str()
        .unwrap()
        .to_ascii_lowercase()
        .contains("cookie")));
    assert!(response.headers().get("etag").is_none());
}

#[tokio::test]
async fn no_answer_to_a_write_is_public() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let round: String = sqlx::query_scalar("SELECT slug FROM consultation ORDER BY id LIMIT 1")
        .fetch_optional(&state.pool)
        .await
        .unwrap()
        .unwrap_or_else(|| "finnes-ikke".into());
    let big = "x".repeat(server::http::security::BODY_LIMIT + 10);
    for (method, uri, headers, body) in [
        ("POST", format!("/innspill/{round}"), &[][..], "svar=x"),
        ("POST", "/nyttig".to_string(), &[], "path=%2F&svar=ja"),
        ("POST", "/tilbakemelding".to_string(), &[], "handling=neste"),
        ("POST", "/ressurser".to_string(), &[], ""),
        ("PUT", "/".to_string(), &[], ""),
        (
            "POST",
            "/tilbakemelding".to_string(),
            &[("origin", "https://evil.example")],
            "",
        ),
        ("POST", "/tilbakemelding".to_string(), &[], big.as_str()),
    ] {
        let (response, _) = send(&state, from("192.0.2.1:1", method, &uri, headers, body)).await;
        assert_eq!(
            header(&response, "cache-control"),
            "private, no-store",
            "{method} {uri} answered {}",
            response.status()
        );
    }
    // A public page read stays public: it revalidates.
    let (page, _) = send(&state, from("192.0.2.1:1", "GET", "/ressurser", &[], "")).await;
    assert_eq!(header(&page, "cache-control"), "public, no-cache");
}
