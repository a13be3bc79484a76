//! Review 3, N12: what was typed as user name never goes into a URL. A
//! failed sign-in shows the form again in its own answer: 422, never
//! stored, the name in its field, a Norwegian message.

use super::*;

#[tokio::test]
async fn a_failed_sign_in_shows_the_form_again_without_a_redirect() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let typed = "MyS3cretPw-i-feil-felt";
    let (response, body) = send(
        &state,
        from(
            "192.0.2.1:1",
            "POST",
            "/auth/logg-inn",
            &[],
            &format!("brukernavn={typed}&passord=feil+passord&neste=%2Fredaktor%2Flenker"),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(header(&response, "location"), "", "no redirect, no URL");
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert!(header(&response, "set-cookie").is_empty());
    assert!(
        body.contains(&format!("value=\"{typed}\"")),
        "the name stays in its field"
    );
    assert!(body.contains("Feil brukernavn eller passord."));
    assert!(
        body.contains("value=\"/redaktor/lenker\""),
        "and where the editor was going"
    );

    // A form without its fields: the same page, its own message.
    let (response, body) = send(
        &state,
        from("192.0.2.1:1", "POST", "/auth/logg-inn", &[], "x=1"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Fyll ut både brukernavn og passord."));
}

#[tokio::test]
async fn the_sign_in_page_takes_no_name_from_its_url_and_is_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    for uri in [
        "/logg-inn?feil=feil&bruker=MyS3cretPw",
        "/logg-inn/?feil=feil&bruker=MyS3cretPw",
    ] {
        let (response, body) = send(&state, from("192.0.2.1:1", "GET", uri, &[], "")).await;
        assert!(!body.contains("MyS3cretPw"), "{uri} shows the name");
        assert_eq!(
            header(&response, "cache-control"),
            "private, no-store",
            "{uri}"
        );
    }
}
