//! M4 and L5: who the client is (proxies, IPv6 networks, the sign-in throttle).

use super::*;

// ── M4 and L5: who the client is ───────────────────────────────────────────

fn behind_proxy(mut state: AppState) -> AppState {
    state.trusted_proxies = Arc::new(app::client::TrustedProxies::parse("127.0.0.1, ::1").unwrap());
    state
}

async fn page_answer(state: &AppState, peer: &str, forwarded_for: Option<&str>) -> StatusCode {
    let headers: Vec<(&str, &str)> = forwarded_for
        .map(|f| ("x-forwarded-for", f))
        .into_iter()
        .collect();
    send(
        state,
        from(
            peer,
            "POST",
            "/nyttig",
            &headers,
            "path=%2Fveiviser&svar=ja",
        ),
    )
    .await
    .0
    .status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_budget() {
    let dir = tempfile::tempdir().unwrap();
    let state = behind_proxy(seeded_state(&dir).await);
    for _ in 0..app::state::DEFAULT_SUBMISSIONS_PER_WINDOW {
        assert_eq!(
            page_answer(&state, "127.0.0.1:5000", Some("198.51.100.1")).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        page_answer(&state, "127.0.0.1:5001", Some("198.51.100.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        page_answer(&state, "127.0.0.1:5002", Some("198.51.100.2")).await,
        StatusCode::SEE_OTHER,
        "another visitor behind the same proxy"
    );
    assert_eq!(
        page_answer(&state, "127.0.0.1:5003", Some("198.51.100.1, 198.51.100.3")).await,
        StatusCode::SEE_OTHER,
        "the right-most untrusted entry is the client; the left one is what the client wrote"
    );
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let state = behind_proxy(seeded_state(&dir).await);
    for i in 0..app::state::DEFAULT_SUBMISSIONS_PER_WINDOW {
        let spoof = format!("10.9.9.{i}");
        assert_eq!(
            page_answer(&state, "192.0.2.50:6000", Some(&spoof)).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        page_answer(&state, "192.0.2.50:6000", Some("10.9.9.200")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_ipv6_network_has_one_budget() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    for i in 0..app::state::DEFAULT_SUBMISSIONS_PER_WINDOW {
        assert_eq!(
            page_answer(&state, &format!("[2001:db8:5:5::{:x}]:7000", i + 1), None).await,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        page_answer(&state, "[2001:db8:5:5:ffff::1]:7000", None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        page_answer(&state, "[2001:db8:5:6::1]:7000", None).await,
        StatusCode::SEE_OTHER,
        "another /64"
    );
}

#[tokio::test]
async fn the_sign_in_throttle_sees_the_client_behind_the_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let state = behind_proxy(seeded_state(&dir).await);
    app::auth::upsert_account(
        &state.pool,
        "redaktor",
        "Redaktør",
        "et langt testpassord 123",
        Role::Editor,
    )
    .await
    .unwrap();
    for _ in 0..app::auth::MAX_FAILURES_PER_ACCOUNT {
        let response = sign_in(&state, "127.0.0.1:5000", "198.51.100.66", "feil passord").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = sign_in(
        &state,
        "127.0.0.1:5000",
        "198.51.100.66",
        "et langt testpassord 123",
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the guesser is locked out"
    );
    let response = sign_in(
        &state,
        "127.0.0.1:5000",
        "198.51.100.77",
        "et langt testpassord 123",
    )
    .await;
    assert_eq!(
        header(&response, "location"),
        "/redaktor",
        "the editor, behind the same proxy, is not"
    );
    assert!(header(&response, "set-cookie").starts_with("bli_okt="));
}
