//! Review 3, N11: a second factor (TOTP) for editors who turn it on and for
//! every administrator, recovery codes, resets, and password strength.
//! Each test fails on the reviewed code, where the password alone signed in.

use super::*;

const PASSWORD: &str = "et langt testpassord 123";

/// `name=value` of the session cookie an answer sets.
fn cookie_of(response: &Response<()>) -> String {
    header(response, "set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

async fn post(
    state: &AppState,
    uri: &str,
    cookie: Option<&str>,
    body: &str,
) -> (Response<()>, String) {
    let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("cookie", c)]).unwrap_or_default();
    send(state, from("192.0.2.7:1", "POST", uri, &headers, body)).await
}

async fn get_page(state: &AppState, uri: &str, cookie: &str) -> (Response<()>, String) {
    send(
        state,
        from("192.0.2.7:1", "GET", uri, &[("cookie", cookie)], ""),
    )
    .await
}

/// Signs in with the password alone: the answer and the cookie it set.
async fn password_step(state: &AppState, username: &str) -> (Response<()>, String) {
    let (response, _) = post(
        state,
        "/auth/logg-inn",
        None,
        &format!(
            "brukernavn={username}&passord={}&neste=%2Fredaktor%2Flenker",
            app::query::encode(PASSWORD)
        ),
    )
    .await;
    let cookie = cookie_of(&response);
    (response, cookie)
}

/// An account with a factor (RFC 6238's test secret); its recovery codes.
async fn with_factor(state: &AppState, username: &str, role: Role) -> (i64, Vec<String>) {
    let id = app::auth::upsert_account(&state.pool, username, username, PASSWORD, role)
        .await
        .unwrap();
    let codes = app::auth::factor::provision(&state.pool, id, ADMIN_TOTP_SECRET)
        .await
        .unwrap();
    (id, codes)
}

/// Whether `cookie` opens the dashboard.
async fn signed_in(state: &AppState, cookie: &str) -> bool {
    let (response, body) = get_page(state, "/redaktor", cookie).await;
    response.status() == StatusCode::OK && body.contains("Logget inn som")
}

fn a_code_other_than(code: &str) -> String {
    format!(
        "{:06}",
        (code.parse::<u32>().unwrap() + 500_000) % 1_000_000
    )
}

#[tokio::test]
async fn an_administrator_without_a_factor_must_set_one_up_before_anything_else() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    app::auth::upsert_account(&state.pool, "sjef", "Sjef", PASSWORD, Role::Admin)
        .await
        .unwrap();

    // The password is right: sent to the set-up, with a session that is not one yet.
    let (response, cookie) = password_step(&state, "sjef").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&response, "location"),
        "/redaktor/konto/totp?neste=%2Fredaktor%2Flenker"
    );
    assert!(
        !signed_in(&state, &cookie).await,
        "the password alone opened /redaktor"
    );
    let (response, _) = post(&state, "/redaktor/kontoer/ny", Some(&cookie), "username=x").await;
    assert!(
        header(&response, "location").starts_with("/logg-inn?neste="),
        "an administrator's form took a set-up session: {}",
        response.status()
    );

    // The set-up page: a QR code drawn on the server, the secret in groups of four.
    let (response, page) = get_page(&state, "/redaktor/konto/totp", &cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    let secret = page
        .split("name=\"secret\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries the secret")
        .to_string();
    assert!(page.contains(&app::auth::totp::grouped(&secret)));
    let qr = &page[page.find("class=\"qr-code\"").expect("a QR code")..];
    let svg = &qr[qr.find("<svg").expect("an inline SVG")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(
        !svg.contains("style") && !svg.contains("href"),
        "the CSP must hold"
    );
    for attribute in [
        "autocomplete=\"one-time-code\"",
        "inputmode=\"numeric\"",
        "Engangskode fra autentiseringsappen",
    ] {
        assert!(page.contains(attribute), "{attribute}");
    }

    // A wrong code: refused by the field, the same secret kept.
    let bytes = app::auth::totp::decode_secret(&secret).unwrap();
    let right = totp_now(&bytes);
    let (response, page) = post(
        &state,
        "/redaktor/konto/totp",
        Some(&cookie),
        &format!(
            "secret={secret}&kode={}&neste=%2Fredaktor%2Flenker",
            a_code_other_than(&right)
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Koden stemmer ikke."));
    assert!(page.contains(&format!("value=\"{secret}\"")));
    assert!(!signed_in(&state, &cookie).await);

    // The right code: on, ten recovery codes shown once, the session full.
    let (response, page) = post(
        &state,
        "/redaktor/konto/totp",
        Some(&cookie),
        &format!("secret={secret}&kode={right}&neste=%2Fredaktor%2Flenker"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    let shown = page.matches("<li><code>").count();
    assert_eq!(shown, 10, "ten recovery codes");
    assert!(page.contains("href=\"/redaktor/lenker\""));
    assert!(signed_in(&state, &cookie).await);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM recovery_code")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(stored, 10);
    let (_, again) = get_page(&state, "/redaktor/konto/totp", &cookie).await;
    assert_eq!(again.matches("<li><code>").count(), 0, "shown once only");
}

#[tokio::test]
async fn with_a_factor_the_password_alone_gives_no_session_and_a_code_works_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    with_factor(&state, "sjef", Role::Admin).await;

    let (response, cookie) = password_step(&state, "sjef").await;
    assert_eq!(
        header(&response, "location"),
        "/logg-inn/kode?neste=%2Fredaktor%2Flenker"
    );
    assert!(
        !signed_in(&state, &cookie).await,
        "the password alone opened /redaktor"
    );
    let (response, page) = get_page(&state, "/logg-inn/kode?neste=/redaktor", &cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(page.contains("Engangskode fra autentiseringsappen"));
    assert!(page.contains("autocomplete=\"one-time-code\""));

    let code = totp_now(ADMIN_TOTP_SECRET);
    let (response, page) = post(
        &state,
        "/auth/logg-inn/kode",
        Some(&cookie),
        &format!("kode={}&neste=%2Fredaktor", a_code_other_than(&code)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Koden stemmer ikke"));
    assert!(!signed_in(&state, &cookie).await);

    let (response, _) = post(
        &state,
        "/auth/logg-inn/kode",
        Some(&cookie),
        &format!("kode={code}&neste=%2Fredaktor%2Flenker"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&response, "location"), "/redaktor/lenker");
    assert!(signed_in(&state, &cookie).await);

    // The same code again, for a new sign-in: refused.
    let (_, second) = password_step(&state, "sjef").await;
    let (response, _) = post(
        &state,
        "/auth/logg-inn/kode",
        Some(&second),
        &format!("kode={code}"),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code worked twice"
    );
    assert!(!signed_in(&state, &second).await);

    // No pending session at all: back to the password.
    let (response, _) = post(&state, "/auth/logg-inn/kode", None, &format!("kode={code}")).await;
    assert!(header(&response, "location").starts_with("/logg-inn?feil=utlopt"));
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let (_, codes) = with_factor(&state, "kari", Role::Editor).await;
    assert_eq!(codes.len(), 10);

    let (_, cookie) = password_step(&state, "kari").await;
    assert!(!signed_in(&state, &cookie).await);
    let typed = codes[0].to_uppercase().replace('-', " ");
    let (response, _) = post(
        &state,
        "/auth/logg-inn/kode",
        Some(&cookie),
        &format!("kode={}&gjenoppretting=1", app::query::encode(&typed)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(&state, &cookie).await);

    let (_, again) = password_step(&state, "kari").await;
    let (response, page) = post(
        &state,
        "/auth/logg-inn/kode",
        Some(&again),
        &format!("kode={}&gjenoppretting=1", codes[0]),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a recovery code worked twice"
    );
    assert!(
        page.contains("Gjenopprettingskode"),
        "the form stays the recovery form"
    );
    let (response, _) = post(
        &state,
        "/auth/logg-inn/kode",
        Some(&again),
        &format!("kode={}", codes[1]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM recovery_code")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(left, 8);
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    with_factor(&state, "sjef", Role::Admin).await;
    let (_, cookie) = password_step(&state, "sjef").await;
    let code = totp_now(ADMIN_TOTP_SECRET);
    for _ in 0..app::auth::MAX_FAILURES_PER_ACCOUNT {
        let (response, _) = post(
            &state,
            "/auth/logg-inn/kode",
            Some(&cookie),
            &format!("kode={}", a_code_other_than(&code)),
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (response, page) = post(
        &state,
        "/auth/logg-inn/kode",
        Some(&cookie),
        &format!("kode={code}"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("For mange feil koder."));
    assert!(!signed_in(&state, &cookie).await);
}

#[tokio::test]
async fn another_administrator_resets_a_lost_factor_and_it_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "sjef", Role::Admin).await;
    let (lost, _) = with_factor(&state, "mistet", Role::Admin).await;

    let (response, _) = post(
        &state,
        &format!("/redaktor/kontoer/{lost}"),
        Some(&admin),
        "handling=nullstill-totp",
    )
    .await;
    assert_eq!(
        header(&response, "location"),
        "/redaktor/kontoer?melding=totp-nullstilt"
    );
    let (secret, codes): (Option<String>, i64) = sqlx::query_as(
        "SELECT totp_secret, (SELECT count(*) FROM recovery_code WHERE account_id = ?1) FROM account WHERE id = ?1",
    )
    .bind(lost)
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!((secret, codes), (None, 0));
    let (actor, summary): (String, String) = sqlx::query_as(
        "SELECT actor, summary FROM audit_log WHERE entity = 'account' AND entity_id = ?1 ORDER BY id DESC LIMIT 1",
    )
    .bind(lost)
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(
        (actor.as_str(), summary.as_str()),
        ("sjef", "mistet: totrinnsinnlogging nullstilt")
    );
    // The next sign-in sets a new factor up.
    let (response, _) = password_step(&state, "mistet").await;
    assert!(header(&response, "location").starts_with("/redaktor/konto/totp"));

    // Not one's own: that needs another administrator.
    let me: i64 = sqlx::query_scalar("SELECT id FROM account WHERE username = 'sjef'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let (response, page) = post(
        &state,
        &format!("/redaktor/kontoer/{me}"),
        Some(&admin),
        "handling=nullstill-totp",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Du kan ikke nullstille din egen totrinnsinnlogging."));
}

#[tokio::test]
async fn an_editor_may_turn_their_factor_off_and_an_administrator_may_not() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let editor = session_cookie(&state, "kari", Role::Editor).await;
    let kari: i64 = sqlx::query_scalar("SELECT id FROM account WHERE username = 'kari'")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    app::auth::factor::provision(&state.pool, kari, ADMIN_TOTP_SECRET)
        .await
        .unwrap();
    let (response, _) = post(&state, "/redaktor/konto/totp/av", Some(&editor), "").await;
    assert_eq!(
        header(&response, "location"),
        "/redaktor/konto/totp?melding=totp-av"
    );
    let (has, _) = app::auth::factor::status(&state.pool, kari).await.unwrap();
    assert!(!has);

    let admin = session_cookie(&state, "sjef", Role::Admin).await;
    let (response, _) = post(&state, "/redaktor/konto/totp/av", Some(&admin), "").await;
    assert_eq!(
        header(&response, "location"),
        "/redaktor/konto/totp?melding=totp-admin"
    );
    assert!(
        signed_in(&state, &admin).await,
        "the administrator keeps the factor and the session"
    );
}

#[tokio::test]
async fn a_guessable_password_is_refused_by_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let admin = session_cookie(&state, "sjef", Role::Admin).await;
    let (response, page) = post(
        &state,
        "/redaktor/kontoer/ny",
        Some(&admin),
        "username=nina&display_name=Nina+Nyansatt&role=editor&password=Passord12345",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Passordet er for lett å gjette: "),
        "Passord12345 was accepted"
    );
    assert!(page.contains("value=\"nina\""), "what was typed is kept");
    assert!(!page.contains("Passord12345"));
}
