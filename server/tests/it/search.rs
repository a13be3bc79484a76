//! Search through the router (issue 19): odd input is a normal page with a
//! message, a typo gets a "Mente du …?" link.

use axum::http::StatusCode;

use crate::common::*;

/// The result count of an empty result.
const NONE: &str = "class=\"result-count\">Ingen ressurser<";

#[tokio::test]
async fn odd_search_input_is_a_normal_page_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let long = "a%20".repeat(3000);
    for (uri, message) in [
        ("/ressurser?q=", None),
        ("/ressurser?q=%22", Some("ingen bokstaver eller tall")),
        ("/ressurser?q=*", Some("ingen bokstaver eller tall")),
        ("/ressurser?q=-", Some("ingen bokstaver eller tall")),
        ("/ressurser?q=%5E", Some("ingen bokstaver eller tall")),
        ("/ressurser?q=NEAR(", None),
        ("/ressurser?q=%22bruker%22%20NEAR(x%20y)%20-z%20%5Ea*", None),
        (&format!("/ressurser?q={long}"), None),
    ] {
        let (status, page) = get(&state, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!page.contains("Noe gikk galt"), "{uri}: an error page");
        assert!(page.contains("<h1>Ressurser</h1>"), "{uri}");
        if let Some(message) = message {
            assert!(page.contains(message), "{uri}: no message");
        }
    }
}

#[tokio::test]
async fn a_typo_gets_a_did_you_mean_link_without_javascript() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (status, page) = get(&state, "/ressurser?q=erfaringskonsulnet").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Du søkte etter «erfaringskonsulnet»"),
        "says what was searched"
    );
    assert!(page.contains("Mente du"));
    assert!(page.contains("href=\"/ressurser?q=erfaringskonsulent"));
}

#[tokio::test]
async fn admins_edit_synonym_groups_and_searches_use_them_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "admin", app::domain::account::Role::Admin).await;
    let editor = session_cookie(&state, "redaktor", app::domain::account::Role::Editor).await;

    // An editor may not, and changes nothing.
    let (_, html) = get_with(&state, "/redaktor/synonymer", &editor).await;
    assert!(
        !html.contains("name=\"grupper\""),
        "an editor does not get the form"
    );
    let (status, _, _) = call(
        &state,
        "POST",
        "/redaktor/synonymer",
        Some(&editor),
        "grupper=a%2C+b",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, html) = get_with(&state, "/redaktor/synonymer", &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("brukerutvalg, brukerråd"), "the current list");

    // Before: "sjiraff" finds nothing.
    let (_, page) = get(&state, "/ressurser?q=sjiraff").await;
    assert!(page.contains(NONE));

    // A lonely word is refused next to the field, and what was typed stays.
    let (status, _, html) = call(
        &state,
        "POST",
        "/redaktor/synonymer",
        Some(&admin),
        "grupper=sjiraff%2C+brukerutvalg%0Aensomt",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"grupper-feil\""), "error by the field");
    assert!(html.contains("Gruppe 2"), "says which group");
    assert!(html.contains("sjiraff, brukerutvalg"), "input kept");
    let (_, page) = get(&state, "/ressurser?q=sjiraff").await;
    assert!(page.contains(NONE), "nothing was saved");

    // A good list takes effect on the next search, without a restart.
    let (status, location, _) = call(
        &state,
        "POST",
        "/redaktor/synonymer",
        Some(&admin),
        "grupper=sjiraff%2C+brukerutvalg%0Apasient%2C+bruker",
    )
    .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/redaktor/synonymer?melding=lagret")
        )
    );
    let (_, page) = get(&state, "/ressurser?q=sjiraff").await;
    assert!(
        !page.contains(NONE) && page.contains("/ressurser/brukerutvalg-slik-organiserer-dere-det"),
        "the new synonym finds resources"
    );
}

#[tokio::test]
async fn suggestions_are_matching_titles_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (status, body) = get(&state, "/api/forslag?q=brukerutv").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let items = json["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 8, "{body}");
    assert_eq!(
        items[0]["url"], "/ressurser/brukerutvalg-slik-organiserer-dere-det",
        "{body}"
    );
    assert!(items[0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Brukerutvalg"));

    for odd in ["", "b", "%22", "NEAR(", &"x".repeat(5000)] {
        let (status, body) = get(&state, &format!("/api/forslag?q={odd}")).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(json["items"].is_array(), "{odd}: {body}");
    }
}
