//! Review 3, N2: the account had no limit over all clients, only a delay
//! that parallel guesses did not feel. Now an account takes at most 100
//! failures an hour from browsers it does not know; a browser that has
//! signed in to it before still gets in, and the administrators are told
//! once, in the audit log.

use super::*;

const PASSWORD: &str = "et langt testpassord 123";

fn attempt(password: &str) -> String {
    format!(
        "brukernavn=redaktor&passord={}",
        app::query::encode(password)
    )
}

/// The `name=value` of the device cookie a sign-in's answer sets.
fn device_cookie(response: &Response<()>) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("bli_enhet="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

async fn budget_entries(state: &AppState) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'sign-in-budget'")
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_known_browser_gets_in_when_the_account_budget_is_spent_and_others_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    app::auth::upsert_account(&state.pool, "redaktor", "Redaktør", PASSWORD, Role::Editor)
        .await
        .unwrap();
    // The editor signs in once from their own browser, which becomes known.
    let (response, _) = send(
        &state,
        from(
            "192.0.2.10:1",
            "POST",
            "/auth/logg-inn",
            &[],
            &attempt(PASSWORD),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let known = device_cookie(&response).expect("a device cookie after signing in");
    let set = response.headers().get_all("set-cookie").iter();
    let full = set
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("bli_enhet="))
        .unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(full.contains(part), "{part} in {full}");
    }
    // Another account's device is no key to this one.
    session_cookie(&state, "annen", Role::Editor).await;
    let body = "brukernavn=annen&passord=et+langt+testpassord+123";
    let (response, _) = send(
        &state,
        from("192.0.2.11:1", "POST", "/auth/logg-inn", &[], body),
    )
    .await;
    let other = device_cookie(&response).expect("the other editor's browser");

    // Guessers at many addresses spend the budget: 99 straight at the
    // throttle, the 100th through the site.
    for i in 0..99u32 {
        let guesser = app::client::Client {
            addr: format!("10.{}.{}.1", i / 200, i % 200).parse().unwrap(),
            via_https: false,
        };
        drop(state.sign_in.reserve("redaktor", &guesser).unwrap());
    }
    assert_eq!(budget_entries(&state).await, 0);
    let (response, _) = send(
        &state,
        from(
            "198.51.100.1:1",
            "POST",
            "/auth/logg-inn",
            &[],
            &attempt("gjett"),
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        budget_entries(&state).await,
        1,
        "the administrators are told"
    );

    // From now on a browser the account does not know is refused, even
    // with the right password, and told why in Norwegian.
    for (peer, password, cookie) in [
        ("198.51.100.2:1", "gjett", None),
        ("198.51.100.3:1", PASSWORD, None),
        ("198.51.100.4:1", PASSWORD, Some(other.as_str())),
    ] {
        let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
        let (response, body) = send(
            &state,
            from(peer, "POST", "/auth/logg-inn", &headers, &attempt(password)),
        )
        .await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{peer}");
        assert!(
            body.contains(
                "slipper vi nå bare inn nettlesere som har vært logget inn på kontoen før"
            ),
            "{peer}"
        );
        assert!(header(&response, "set-cookie").is_empty());
    }
    assert_eq!(budget_entries(&state).await, 1, "once, not per refusal");

    // The editor's own browser gets in, wherever it is now.
    let (response, _) = send(
        &state,
        from(
            "203.0.113.5:1",
            "POST",
            "/auth/logg-inn",
            &[("cookie", &known)],
            &attempt(PASSWORD),
        ),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the known browser gets in"
    );
    assert!(
        device_cookie(&response).is_none(),
        "and keeps its device cookie"
    );

    // The administrators read it on the audit page.
    let admin = session_cookie(&state, "sjef", Role::Admin).await;
    let (_, page) = get_with(&state, "/redaktor/logg", &admin).await;
    assert!(
        page.contains("stengte ute ukjente nettlesere fra konto"),
        "{page}"
    );
}
